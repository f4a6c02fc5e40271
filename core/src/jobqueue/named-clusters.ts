import type { JobQueueClusterOptions } from './job-queue-cluster-options.js';
import { JobQueueCluster } from './job-queue-cluster.js';

/**
 * `SlurmCluster.start(options)`, `PbsCluster.start(…)`, `LsfCluster.start(…)`, `SgeCluster.start(…)`:
 * dask-jobqueue's class names for {@link JobQueueCluster.start} with the kind filled in.
 *
 * #### Notes
 * Starting a cluster opens the scheduler's port, which is asynchronous, so where dask-jobqueue
 * writes `SLURMCluster(...)` Drover writes `await SlurmCluster.start(...)`.
 */
export const SlurmCluster = {
  start: (options: JobQueueClusterOptions) => JobQueueCluster.start('slurm', options),
};
export const PbsCluster = {
  start: (options: JobQueueClusterOptions) => JobQueueCluster.start('pbs', options),
};
export const LsfCluster = {
  start: (options: JobQueueClusterOptions) => JobQueueCluster.start('lsf', options),
};
export const SgeCluster = {
  start: (options: JobQueueClusterOptions) => JobQueueCluster.start('sge', options),
};
