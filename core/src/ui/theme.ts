/** A theme the page can choose; `auto` follows the operating system. Other hosts bring their own. */
export type Theme = 'auto' | 'light' | 'dark' | 'high-contrast';

/** Every theme, in the order a picker lists them. */
export const THEMES: readonly { theme: Theme; label: string }[] = [
  { theme: 'auto', label: 'Auto theme' },
  { theme: 'light', label: 'Light' },
  { theme: 'dark', label: 'Dark' },
  { theme: 'high-contrast', label: 'High contrast' },
];

/** Whether a stored value is a theme. */
export function isTheme(value: unknown): value is Theme {
  return THEMES.some((t) => t.theme === value);
}

/**
 * Sets `data-theme` on a `.drover-root` element, which picks Drover's own colours where the host
 * defines none of its variables (`--jp-*`, `--vscode-*`), as on the standalone page.
 */
export function applyTheme(root: HTMLElement, theme: Theme): void {
  const view = root.ownerDocument.defaultView;
  const dark =
    theme === 'dark' || (theme === 'auto' && !!view?.matchMedia('(prefers-color-scheme: dark)').matches);
  root.dataset.theme = theme === 'high-contrast' ? 'high-contrast' : dark ? 'dark' : 'light';
}
