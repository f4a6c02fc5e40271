import type { EventEmitter } from 'node:events';

/** How many workers a cluster should run: a plain number means workers. */
export type ScaleRequest =
  number | { workers: number } | { jobs: number } | { cores: number } | { memory: string | number };

/**
 * Bounds for adaptive scaling, as dask-jobqueue users expect: `minimum`/`maximum` count workers
 * (like `scale(n)`); on a job queue `minimumJobs`/`maximumJobs` count jobs (like `scale({ jobs })`).
 * Give one pair, not both.
 */
export interface AdaptOptions {
  /** Workers. */
  minimum?: number;
  /** Workers. */
  maximum?: number;
  /** Jobs (job queues only). */
  minimumJobs?: number;
  /** Jobs (job queues only). */
  maximumJobs?: number;
  /** How often the controller looks at the scheduler, in ms. */
  intervalMs?: number;
  /** How many consecutive looks a worker must be idle before it is retired. */
  waitCount?: number;
}

/** A snapshot of a cluster for front-ends and logs. */
export interface ClusterStatus {
  name: string;
  kind: string;
  /** `starting`, `running`, `closing` or `closed`. */
  state: 'starting' | 'running' | 'closing' | 'closed';
  schedulerAddress: string;
  dashboardUrl: string;
  workersRequested: number;
  workersConnected: number;
  /** Adaptive bounds in workers (a job queue's jobs times its processes). */
  adaptive: { minimum: number; maximum: number } | null;
}

/**
 * The one interface every launcher implements (local processes, SLURM, PBS, LSF, SGE).
 *
 * #### Notes
 * Emits `status` (ClusterStatus) whenever what `status` returns changes.
 */
export interface Cluster extends EventEmitter {
  readonly name: string;
  /** `ws://host:port` of the scheduler the workers and clients connect to. */
  readonly schedulerAddress: string;
  /** The token every connection to the scheduler must present. */
  readonly token: string;
  /** With TLS: the certificate authority file clients trust (`Client.connect(cluster)` uses it). */
  readonly tlsCa: string | null;
  status(): ClusterStatus;
  scale(request: ScaleRequest): Promise<void>;
  adapt(options: AdaptOptions): void;
  /** Stops adaptive scaling; the current size stays. */
  stopAdapting(): void;
  close(): Promise<void>;
}
