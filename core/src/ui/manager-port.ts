/**
 * The one interface every Drover UI component takes: the manager's requests, its event stream and
 * the hooks of the host the UI runs in (the dashboard page, a JupyterLab widget, a VS Code webview).
 *
 * #### Notes
 * Components never reach for `fetch`, `WebSocket`, `localStorage`, `document.body` or downloads
 * themselves; each host supplies a `ManagerPort`: {@link HttpManagerPort} for the page, one over
 * `ServerConnection` for JupyterLab, one over `postMessage` for VS Code. Request and answer shapes
 * are those of `manager/api-types.ts`; a rejected request rejects with {@link ApiRequestError} so
 * every host reports a bad field the same way. This file imports only types.
 */
import type {
  ClusterModel,
  ClusterSpec,
  DryRunModel,
  JobModel,
  ProfileModel,
  RenderResult,
  ServerEvent,
  SpecDescription,
  WorkerModel,
  GroupProgress,
} from '../manager/api-types.js';

export { ApiRequestError } from './api-request-error.js';

/**
 * A new size for a cluster. A bare number is the cluster's own unit: workers (local) or jobs
 * (batch), which is what the manager's `PATCH /api/clusters/:name` accepts as `{"scale": n}`.
 *
 * #### Notes
 * The object forms name the unit; they are sent as `{"scale": {...}}`. `workers` on a local cluster
 * and `jobs` on a batch cluster mean the same as the bare number; the others (`cores`, `memory`,
 * `workers` on a batch cluster) are answered by the manager once it converts units, and rejected
 * with a clear `invalid-spec` error before that.
 */
export type ScaleTarget =
  | number
  | { workers: number }
  | { jobs: number }
  | { cores: number }
  /** Bytes, or a size such as `"64 GiB"`. */
  | { memory: number | string };

/** Adaptive bounds in the cluster's unit (workers for local, jobs for batch); null stops adapting. */
export type AdaptBounds = { minimum: number; maximum: number } | null;

/** What `GET /api/clusters/:name/metrics` answers: the numbers behind the worker list and progress. */
export interface ClusterMetrics {
  workers: WorkerModel[];
  groups: GroupProgress[];
  tasksPerSecond: number;
}

/**
 * How to connect to a cluster from outside the UI (`GET /api/clusters/:name/connection`).
 *
 * #### Notes
 * Holds secrets (the token, the TLS key path): a view never renders it; a host hands it to a
 * kernel or a client it starts.
 */
export interface ConnectionInfo {
  engine: 'drover' | 'dask';
  address: string;
  token?: string;
  tls?: { ca: string; cert: string; key: string };
}

/** A job script ready to save: its text and the file name the manager proposes. */
export interface ExportedScript {
  text: string;
  fileName: string;
}

/** Which log of a batch job, and how much of its end. */
export interface JobLogOptions {
  /** Default `stdout`. */
  stream?: 'stdout' | 'stderr';
  /** Only the last lines; absent or 0 for the whole log. */
  tail?: number;
}

/** The manager's requests. Every method rejects with {@link ApiRequestError} on an error answer. */
export interface ManagerRequests {
  /** Everything a form needs: kinds, fields, JSON Schema. */
  spec(): Promise<SpecDescription>;
  /** The preview of a spec: job script (batch) or command and code (local). */
  render(spec: ClusterSpec): Promise<RenderResult>;
  /** Asks the batch system whether it would accept the job, without submitting it. */
  dryRun(spec: ClusterSpec): Promise<DryRunModel>;
  /** Every cluster of the manager. */
  clusters(): Promise<ClusterModel[]>;
  /** One cluster. */
  cluster(name: string): Promise<ClusterModel>;
  /** Starts a cluster; answers once the manager has accepted it (state `starting`). */
  create(spec: ClusterSpec): Promise<ClusterModel>;
  /** Sets a fixed size and stops adapting. */
  scale(name: string, target: ScaleTarget): Promise<ClusterModel>;
  /** Adapts between bounds, or (null) stops adapting and keeps the current size. */
  adapt(name: string, bounds: AdaptBounds): Promise<ClusterModel>;
  /** Shuts a cluster down (its workers and jobs) and forgets it. */
  close(name: string): Promise<void>;
  /** The saved profiles. */
  profiles(): Promise<ProfileModel[]>;
  /** Saves (or replaces) a profile. */
  saveProfile(name: string, spec: ClusterSpec): Promise<ProfileModel>;
  /** Removes a profile. */
  deleteProfile(name: string): Promise<void>;
  /** The job script of a spec as text, with the file name to save it under. */
  export(spec: ClusterSpec): Promise<ExportedScript>;
  /** A batch cluster's jobs (empty for a local cluster). */
  jobs(cluster: string): Promise<JobModel[]>;
  /** The text of a batch job's log. */
  jobLog(cluster: string, jobId: string, options?: JobLogOptions): Promise<string>;
  /** Workers, task groups and throughput of a cluster now. */
  metrics(cluster: string): Promise<ClusterMetrics>;
  /** Address and credentials of a cluster, for a host that connects a client or kernel to it. */
  connection(cluster: string): Promise<ConnectionInfo>;
}

/** Called with every event of the manager's stream. */
export type EventListener = (event: ServerEvent) => void;

/** Called when the event stream connects (true) or loses its connection (false). */
export type ConnectionListener = (connected: boolean) => void;

/**
 * An open event stream. Cluster events (`hello`, `cluster`, `cluster-removed`, `job`) arrive for
 * every cluster; `tasks` and `metrics` only for the subscribed one.
 */
export interface EventSubscription {
  /**
   * Streams tasks and metrics of one cluster (null: none). Kept across reconnects: the
   * implementation subscribes again after the stream comes back.
   */
  subscribe(cluster: string | null): void;
  /** Stops the stream for good; no listener is called afterwards. */
  close(): void;
}

/** How a notification looks. */
export type NotifyKind = 'info' | 'success' | 'warning' | 'error';

/**
 * Small UI state a host keeps across reloads (theme choice, the form's last kind, a collapsed
 * section): `localStorage` on the page, `vscode.setState` in a webview, the state DB in JupyterLab.
 */
export interface UiStateStore {
  /** The value stored under `key`, or undefined. */
  get<T>(key: string): T | undefined;
  /** Stores a JSON-serialisable value (undefined removes it). */
  set(key: string, value: unknown): void;
}

/** What only the host can do: files, clipboard, editors, persisted state, notifications. */
export interface HostHooks {
  /** Saves a text file the user asked for (a download on the page, a save dialog in an editor). */
  saveFile(name: string, text: string): Promise<void>;
  /** Puts text on the clipboard. */
  copyText(text: string): Promise<void>;
  /**
   * Opens text in an editor of the host (a new JupyterLab document, a VS Code untitled editor).
   * Absent where the host has no editor; views then offer save and copy only.
   */
  openDocument?(name: string, text: string, language: string): Promise<void>;
  /** State kept across reloads. */
  readonly uiState: UiStateStore;
  /** Tells the user something outside the view (a toast, a status message). */
  notify(message: string, kind: NotifyKind): void;
}

/**
 * The manager as a UI component sees it: requests, the event stream, and the host's hooks.
 *
 * #### Notes
 * One port may be shared by any number of views and dashboards in one page; each view opens its
 * own {@link EventSubscription} and closes it when disposed.
 */
export interface ManagerPort extends ManagerRequests {
  /** Opens the event stream; it reconnects by itself until closed. */
  events(onEvent: EventListener, onState?: ConnectionListener): EventSubscription;
  /** The hooks of the host this port belongs to. */
  readonly host: HostHooks;
}
