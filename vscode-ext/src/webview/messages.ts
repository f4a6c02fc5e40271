/**
 * The messages between the extension host and Drover's webviews, both ways, as typed unions.
 * Imported by the host (`src/`) and by the webview bundles (`webview-src/`); imports only types.
 *
 * #### Notes
 * A webview asks the manager through `request` (only the operations its panel allows) and the
 * host's hooks through `host`; each carries an id the `reply` echoes. The host never sends the
 * manager's URL or token into a webview: every call goes through the extension host.
 */
import type { ClusterSpec, ServerEvent } from '@drover/core/ui';

/** Manager operations a webview may ask for (checked again by each panel's allow-list). */
export type ManagerOperation =
  | 'cluster'
  | 'scale'
  | 'adapt'
  | 'close'
  | 'deleteProfile'
  | 'jobLog'
  | 'connection'
  | 'spec'
  | 'render'
  | 'dryRun'
  | 'create'
  | 'export'
  | 'profiles'
  | 'saveProfile'
  | 'clusters'
  | 'jobs'
  | 'metrics';

/** Hooks of the host a webview may call. */
export type HostHook = 'saveFile' | 'copyText' | 'openDocument' | 'notify';

/** Webview → extension host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'request'; id: number; operation: ManagerOperation; args: unknown[] }
  | { type: 'host'; id: number; hook: HostHook; args: unknown[] }
  | { type: 'subscribe'; cluster: string | null }
  /** The form's spec changed (valid or not): the host follows it in the job-script document. */
  | { type: 'specChanged'; spec: ClusterSpec }
  /** Frames drawn so far, for the benchmark and the UI test. */
  | { type: 'stats'; frames: number; rectsDrawn: number };

/** The error of a rejected request, with the spec field at fault when the manager named one. */
export interface ReplyError {
  message: string;
  code: string;
  status: number;
  field?: string;
}

/** Extension host → webview. */
export type HostMessage =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: ReplyError }
  | { type: 'event'; event: ServerEvent }
  /** Which cluster the task-stream panel shows. */
  | { type: 'watch'; cluster: string | null }
  /** Load a spec into the form (a profile or the settings' defaults). */
  | { type: 'load'; spec: ClusterSpec }
  | { type: 'connection'; connected: boolean };

/** What the task-stream panel keeps with `setState` and its serializer restores. */
export interface TaskStreamState {
  cluster: string | null;
}

/** What the new-cluster panel keeps with `setState`. */
export interface NewClusterState {
  spec: ClusterSpec | null;
}
