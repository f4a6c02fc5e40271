import type { Installation } from '../installation.js';
import type { Scheduler, SchedulerOptions } from '../scheduler/scheduler.js';
import type { JobQueueOptions } from './options.js';
import type { CommandOptions } from './run-command.js';

/** The cluster's own settings, apart from the job script's options. */
export interface JobQueueClusterSettings {
  /** Cluster name, shown in the dashboard; default the job name. */
  clusterName?: string;
  /**
   * Scheduler settings (host defaults to `interface`'s address or this host's address), or a
   * running scheduler to share: another cluster's `cluster.scheduler`. Clusters of different
   * `pool`s on one scheduler let a client route each kind of task to its own jobs; closing this
   * cluster then leaves the shared scheduler running.
   */
  scheduler?: SchedulerOptions | Scheduler;
  /** Where the batch commands are (e.g. Torque wrappers), and their timeout. */
  commandOptions?: CommandOptions;
  /** How often all jobs are polled (one command). Default 2 s. */
  pollIntervalMs?: number;
  /** Jobs to submit at start. Default 0. */
  jobs?: number;
  /**
   * Jobs of this cluster that a launcher which died left in the queue, to follow instead of
   * cancelling. Their workers join again when the scheduler comes back at the same address with
   * the same token (`scheduler: { port, token }`) within their death timeout.
   */
  adoptJobs?: ReadonlyArray<{ readonly jobId: string; readonly submittedAt?: string }>;
  /** The Node binary and Drover installation for the default worker command and the templates. */
  installation?: Installation;
}

/** Options of {@link JobQueueCluster.start}: the job's shape plus the cluster's own settings. */
export interface JobQueueClusterOptions extends JobQueueOptions, JobQueueClusterSettings {}

/** The options that belong to the cluster, not to the job script. */
const CLUSTER_ONLY = [
  'clusterName',
  'scheduler',
  'commandOptions',
  'pollIntervalMs',
  'jobs',
  'adoptJobs',
  'installation',
] as const satisfies ReadonlyArray<keyof JobQueueClusterSettings>;

/** The job-script half of the options. */
export function jobOptions(options: JobQueueClusterOptions): Readonly<Record<string, unknown>> {
  const copy: Record<string, unknown> = { ...options };
  for (const key of CLUSTER_ONLY) delete copy[key];
  return copy;
}
