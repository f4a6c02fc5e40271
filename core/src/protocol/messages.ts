/**
 * The shapes that travel between Drover processes.
 *
 * Every WebSocket message is one msgpack array of operations; an operation is an array whose first
 * element names it. The tuples below are documented where they are handled; these are the shared
 * value types.
 */

/** Who is connecting. */
export type Role = 'client' | 'worker' | 'monitor' | 'peer';

/** First operation on every connection, from the connecting side. */
export interface Hello {
  role: Role;
  protocol: number;
  token: string;
  /** Worker fields. */
  worker?: WorkerIdentity;
  /** A name for logs (client or monitor). */
  name?: string;
}

/** What a worker tells the scheduler about itself. */
export interface WorkerIdentity {
  name: string;
  /** `ws://host:port` where peers and clients fetch its results. */
  dataAddress: string;
  host: string;
  pid: number;
  nthreads: number;
  /** Declared resources; `cores` equals nthreads unless declared otherwise. */
  resources: Record<string, number>;
  /** Named pools this worker serves (e.g. `training`); empty means the default pool only. */
  pools: string[];
  memoryLimit: number | null;
  /** Batch job id from SLURM_JOB_ID / PBS_JOBID / LSB_JOBID / JOB_ID. */
  jobId: string | null;
  /** Epoch ms when the worker must be gone (lifetime / walltime), or null. */
  deadline: number | null;
}

/** A function shipped as source text, with the values it was sent with (`capture`). */
export interface InlineFunctionDefinition {
  kind: 'inline';
  name: string;
  source: string;
  captured?: {
    /** Base64 of the msgpack map of the captured values that are not functions. */
    values: string;
    /** Captured functions, shipped as source in turn. */
    functions: Record<string, InlineFunctionDefinition>;
  };
}

/** How a function reaches the worker. */
export type FunctionDefinition =
  InlineFunctionDefinition | { kind: 'module'; module: string; export: string } | { kind: 'command' };

/** Options a task is submitted with, shared by many tasks. */
export interface TaskOptionsWire {
  resources: Record<string, number> | null;
  pool: string | null;
  retries: number;
  /** Stop the task and raise TaskTimeoutError when it runs longer (absent: no limit). */
  timeoutMs?: number;
}

/** An error raised by a task, as it travels back to the client. */
export interface RemoteError {
  name: string;
  message: string;
  stack: string;
  /** The key of the task that raised it (differs from the task's own key for dependents). */
  key: string;
  /** Extra fields such as a command's exit code. */
  detail?: Record<string, unknown>;
}

/** What a task-stream event records: a start (`processing`), or how an execution ended. */
export type TaskOutcome = 'processing' | 'memory' | 'erred' | 'lost' | 'cancelled';

/** One event of the task stream. Times are epoch milliseconds; a start has `stop` 0. */
export interface TaskEvent {
  key: string;
  group: string;
  worker: string;
  slot: number;
  start: number;
  stop: number;
  outcome: TaskOutcome;
}

/** Periodic worker report. */
export interface WorkerMetrics {
  cpu: number;
  rss: number;
  executing: number;
  queued: number;
  stored: number;
  storedBytes: number;
  paused: boolean;
}

/** Why a worker left the cluster. */
export type DepartureReason =
  | 'connection-lost'
  | 'heartbeat-timeout'
  | 'lifetime'
  | 'scaled-down'
  | 'closed-by-worker'
  /** The worker passed its memory limit's restart threshold and restarted; its running tasks are suspect. */
  | 'memory-limit'
  | 'scheduler-shutdown';

export type Operation = readonly [string, ...unknown[]];
