import type { HostHooks, NotifyKind, UiStateStore } from '../manager-port.js';

/** Options of {@link pageHost}. */
export interface PageHostOptions {
  /** Prefix of the `localStorage` keys (default `drover:`), so two apps on one origin keep apart. */
  storagePrefix?: string;
  /**
   * Where notifications are written; without one they are dropped, as the dashboard shows the same
   * messages in its own status line.
   */
  notifications?: HTMLElement;
}

/**
 * The host hooks of a plain web page (the dashboard served by `drover serve`): downloads for saved
 * files, the async clipboard, `localStorage` for UI state, and a status region for notifications.
 *
 * #### Notes
 * Storage may be off (private windows, some embedding frames); the UI state then lives only as long
 * as the page.
 */
export function pageHost(document: Document, options: PageHostOptions = {}): HostHooks {
  for (const key of Object.keys(options))
    if (key !== 'storagePrefix' && key !== 'notifications')
      throw new TypeError(`pageHost: unknown option ${key}; it takes storagePrefix, notifications`);
  const prefix = options.storagePrefix ?? 'drover:';
  const window = document.defaultView!;
  const memory = new Map<string, string>();
  const uiState: UiStateStore = {
    get<T>(key: string): T | undefined {
      let text: string | null | undefined;
      try {
        text = window.localStorage.getItem(prefix + key);
      } catch {
        text = memory.get(key);
      }
      if (text === null || text === undefined) return undefined;
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined; // written by something else: as if absent
      }
    },
    set(key: string, value: unknown): void {
      const text = value === undefined ? undefined : JSON.stringify(value);
      try {
        if (text === undefined) window.localStorage.removeItem(prefix + key);
        else window.localStorage.setItem(prefix + key, text);
      } catch {
        if (text === undefined) memory.delete(key);
        else memory.set(key, text);
      }
    },
  };
  return {
    async saveFile(name: string, text: string): Promise<void> {
      const url = window.URL.createObjectURL(new window.Blob([text], { type: 'text/plain' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => window.URL.revokeObjectURL(url), 10_000);
    },
    copyText: (text: string) => window.navigator.clipboard.writeText(text),
    uiState,
    notify(message: string, kind: NotifyKind): void {
      const region = options.notifications;
      if (!region) return;
      region.textContent = message;
      region.dataset.kind = kind;
    },
  };
}
