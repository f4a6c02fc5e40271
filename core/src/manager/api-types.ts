/**
 * The JSON shapes of Drover's manager API (`drover serve`), shared by the server and the browser
 * components in `core/src/ui`.
 *
 * #### Notes
 * This file imports nothing at run time (one type-only import of the value kinds it shares with the
 * job queue), so the browser build can use it; times are epoch milliseconds or ISO strings as
 * noted, never `Date` objects.
 */

import type { ValueType } from '../units/value-type.js';

/** Every kind of cluster the manager can describe. */
export type ClusterKind = 'local' | 'slurm' | 'pbs' | 'lsf' | 'sge';

/** What a cluster is made from: the one input of the form, the CLI and the API. */
export interface ClusterSpec {
  kind: ClusterKind;
  /** What runs the tasks: `drover` (default; TypeScript clients) or `dask` (Python's Dask clients). */
  engine?: 'drover' | 'dask';
  /** Dask engine: this cluster's workers join the scheduler of the named Dask-engine cluster. */
  joins?: string;
  /** Unique among the manager's clusters; default `<kind>-<n>`. Shown as text, never as markup. */
  name?: string;
  /** Start size in workers (batch: the jobs they need, rounded up to whole jobs). */
  scale?: number;
  /** Adaptive bounds in workers, like `scale`; null or absent for a fixed size. */
  adapt?: { minimum: number; maximum: number } | null;
  /** The kind's parameters (local: threadsPerWorker, memoryLimit, resources; batch: JobQueueOptions). */
  options?: Record<string, unknown>;
  /** Serve wss:// with this certificate (PEM paths on the manager's machine or shared file system). */
  tls?: { cert?: string; key?: string; ca?: string } | null;
}

/** Value kinds of a form field: an option's, or the spec's own kind and adaptive bounds. */
export type FieldType = ValueType | 'kind' | 'adapt';

/** One input of the new-cluster form, as data. */
export interface FieldDescriptor {
  /** Path in the spec: `name`, `scale`, `adapt`, or `options.<option>`. */
  path: string;
  label: string;
  type: FieldType;
  help: string;
  /** The default as people read it; undefined when the field is simply left out. */
  default?: string | number | boolean | readonly string[];
  required?: boolean;
  choices?: readonly string[];
  /** Integers: the smallest and largest value accepted. */
  minimum?: number;
  maximum?: number;
  /** The kinds that read this field. */
  kinds: readonly ClusterKind[];
  /** `basic` fields are shown first; `advanced` ones in a collapsed section. */
  section: 'basic' | 'advanced';
}

/** `GET /api/spec`: everything a form needs. */
export interface SpecDescription {
  kinds: { kind: ClusterKind; label: string; available: boolean; note?: string }[];
  fields: FieldDescriptor[];
  /** The same, as a JSON Schema (draft 2020-12) for editor and JupyterLab settings. */
  jsonSchema: Record<string, unknown>;
}

/** The body of every error answer. */
export interface ApiErrorBody {
  error: {
    /** Stable, machine-readable: `unauthorized`, `invalid-spec`, `not-found`, `conflict`, … */
    code: string;
    /** What happened and what to do. */
    message: string;
    /** The spec field at fault (e.g. `options.walltime`), when there is one. */
    field?: string;
  };
}

/**
 * An error answer as code sees it: the HTTP status with the body's code, message and field. The one
 * contract of the server's `ManagerError` (thrown by the manager, in-process too) and the
 * browser's `ApiRequestError` (read from an answer).
 */
export interface ApiErrorInfo {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

/** A batch job as the dashboard shows it. */
export interface JobModel {
  jobId: string;
  state: 'pending' | 'running' | 'finished' | 'failed' | 'cancelled';
  /** Pending: the batch system's reason (e.g. `Resources`); failed: why it ended. */
  reason?: string;
  /** ISO time the batch system expects the job to start. */
  estimatedStart?: string;
  submittedAt: string;
  startedAt?: string;
  endedAt?: string;
  stdoutPath?: string;
  stderrPath?: string;
}

/** Counts of a cluster's batch jobs by state. */
export interface JobCounts {
  pending: number;
  running: number;
  finished: number;
  failed: number;
}

/** A cluster as `GET /api/clusters/:name` returns it. */
export interface ClusterModel {
  name: string;
  kind: ClusterKind;
  engine: 'drover' | 'dask';
  state: 'starting' | 'running' | 'closing' | 'closed' | 'failed';
  spec: ClusterSpec;
  createdAt: string;
  schedulerAddress: string;
  workers: { connected: number; requested: number };
  /** Batch clusters only; null for local ones. */
  jobs: (JobCounts & { pendingReasons: { jobId: string; reason: string; estimatedStart?: string }[] }) | null;
  /** Slots of the connected workers. */
  cores: number;
  /** Sum of the connected workers' memory limits, bytes; null when some have none. */
  memory: number | null;
  adaptive: { minimum: number; maximum: number } | null;
  /** From creation to the first connected worker; null until then. */
  timeToFirstWorkerMs: number | null;
  tasks: { total: number; byState: Record<string, number>; tasksPerSecond: number };
  /** TypeScript that connects a client to this cluster (holds the scheduler token). */
  clientCode: string;
  /** Set when this manager brought the cluster back after the previous manager died. */
  restoredAt?: string;
  /** Why the cluster failed, when it did. */
  error?: string;
}

/**
 * `GET /api/clusters/:name/connection`: what a client needs to connect (secrets included), for
 * notebook kernels of the manager's user; never put into a notebook's text.
 */
export interface ConnectionModel {
  engine: 'drover' | 'dask';
  /** The scheduler's address (`ws://`, `wss://`, `tcp://` or `tls://`). */
  address: string;
  /** The scheduler's token (Drover engine). */
  token?: string;
  /** Dask's scheduler file, for `Client(scheduler_file=…)` (Dask engine). */
  schedulerFile?: string;
  /** Certificate files (PEM paths): the authority to trust, and the client's own pair where needed. */
  tls?: { ca: string; cert?: string; key?: string };
}

/** One worker of a cluster, for the worker list. */
export interface WorkerModel {
  name: string;
  host: string;
  nthreads: number;
  jobId: string | null;
  /** CPU use of the worker process, percent of one core. */
  cpu: number | null;
  rss: number | null;
  memoryLimit: number | null;
  executing: number;
  status: string;
}

/** Per task group, for the progress bars. */
export interface GroupProgress {
  group: string;
  total: number;
  /** Counts by task state (`waiting`, `queued`, `processing`, `memory`, `erred`, …). */
  byState: Record<string, number>;
}

/**
 * Task-stream bars, aggregated on the server: consecutive tasks of one group on one worker slot that
 * follow each other within a few milliseconds become one bar with a count.
 *
 * #### Notes
 * Columnar so that 20,000 tasks/s cost little to send and to draw: `bars` holds 6 numbers per bar,
 * `[lane, group, outcome, start, duration, count]`, with `lane` and `group` indexes into the tables
 * the stream has sent so far (`newLanes` and `newGroups` extend them) and `start` in ms after `t0`.
 */
export interface TaskBatch {
  /** The server's clock when the batch was sent, so a browser can correct for its own clock. */
  now: number;
  t0: number;
  newLanes: string[];
  newGroups: string[];
  bars: number[];
  /** One key per bar (the first task's), for tooltips. */
  keys: string[];
  /** Tasks in this batch before aggregation. */
  tasks: number;
  /** True on the first batch a subscriber gets: forget earlier tables, these are complete. */
  reset?: boolean;
}

/** Outcomes in the order `TaskBatch.bars` numbers them. */
export const OUTCOMES = ['memory', 'erred', 'lost', 'cancelled'] as const;

/** What the event socket (`/api/events`) sends. */
export type ServerEvent =
  | { type: 'hello'; pid: number; clusters: ClusterModel[] }
  | { type: 'cluster'; cluster: ClusterModel }
  | { type: 'cluster-removed'; name: string }
  | { type: 'job'; cluster: string; job: JobModel }
  | { type: 'tasks'; cluster: string; batch: TaskBatch }
  | {
      type: 'metrics';
      cluster: string;
      workers: WorkerModel[];
      groups: GroupProgress[];
      tasksPerSecond: number;
    };

/** What the browser may send on the event socket. */
export type ClientEvent = { type: 'subscribe'; cluster: string | null };

/** `POST /api/render`: the preview of a spec. */
export interface RenderResult {
  /** The job script (batch) or the equivalent command and code (local). */
  script: string;
  /** A file name for export, e.g. `drover-slurm.sh`. */
  fileName: string;
  language: 'bash' | 'typescript' | 'python';
}

/** `POST /api/dry-run`. */
export interface DryRunModel {
  accepted: boolean;
  message: string;
  command: string | null;
}

/** A saved profile. */
export interface ProfileModel {
  name: string;
  spec: ClusterSpec;
}
