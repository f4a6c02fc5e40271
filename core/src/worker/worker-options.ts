import { hostname } from 'node:os';

/** Options of {@link Worker.start}. */
export interface WorkerOptions {
  /** Scheduler address, `ws://host:port`. */
  scheduler: string;
  token: string;
  /** Shown in the dashboard and logs. Default: host and pid. */
  name?: string;
  /** Slots: function tasks running at once. Default 1. */
  nthreads?: number;
  /** Declared resources, e.g. `{ gpus: 2, licenses: 1 }`; `cores` defaults to nthreads. */
  resources?: Record<string, number>;
  /** Named pools this worker serves, e.g. `['training']`. */
  pools?: string[];
  /** Bytes; the worker pauses near it and each thread's heap is limited to its share. */
  memoryLimit?: number | null;
  /** The worker leaves after this long (walltime-aware clusters set it below the job's walltime). */
  lifetimeMs?: number | null;
  /** How long before the end of its lifetime the worker stops taking tasks. Default min(30 s, 10 %). */
  lifetimeMarginMs?: number;
  /** Interface for the data server; default: the one that routes to the scheduler. */
  host?: string;
  heartbeatMs?: number;
  connectTimeoutMs?: number;
}

/** `host-pid`, unique enough on one cluster. */
export function defaultWorkerName(): string {
  return `${hostname()}-${process.pid}`;
}
