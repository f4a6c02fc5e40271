/** Light or dark; `auto` follows the operating system. */
export type Theme = 'light' | 'dark' | 'auto';

const KEY = 'drover-theme';

/**
 * Applies a theme by setting `data-theme` on `root`; the stylesheet's CSS variables do the rest,
 * so a host (JupyterLab, VS Code) can instead map its own variables onto Drover's.
 */
export function applyTheme(root: HTMLElement, theme: Theme): void {
  const dark = theme === 'dark' || (theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
  root.dataset.theme = dark ? 'dark' : 'light';
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // storage can be off in embedded webviews
  }
}

/** The theme chosen last time, else `auto`. */
export function savedTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    return t === 'light' || t === 'dark' ? t : 'auto';
  } catch {
    return 'auto';
  }
}
