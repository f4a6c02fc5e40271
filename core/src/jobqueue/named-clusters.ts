import type { JobQueueClusterOptions } from './job-queue-cluster-options.js';
import { JobQueueCluster } from './job-queue-cluster.js';
import type { BatchKind } from './options.js';
import { startFromProfile } from './profile-cluster.js';

/** `start(options)` and `fromProfile(name, overrides?, path?)` for one batch system. */
function namedCluster(kind: BatchKind) {
  return {
    start: (options: JobQueueClusterOptions) => JobQueueCluster.start(kind, options),
    /** Starts the cluster saved as profile `name` (refused when it is not a profile of this kind). */
    fromProfile: (name: string, overrides: Partial<JobQueueClusterOptions> = {}, path?: string) =>
      startFromProfile(name, overrides, { kind, ...(path !== undefined ? { path } : {}) }),
  };
}

/**
 * `SlurmCluster.start(options)`, `PbsCluster.start(…)`, `LsfCluster.start(…)`, `SgeCluster.start(…)`:
 * dask-jobqueue's class names for {@link JobQueueCluster.start} with the kind filled in; and
 * `SlurmCluster.fromProfile('gpu-large')` for a saved profile.
 *
 * #### Notes
 * Starting a cluster opens the scheduler's port, which is asynchronous, so where dask-jobqueue
 * writes `SLURMCluster(...)` Drover writes `await SlurmCluster.start(...)`.
 */
export const SlurmCluster = namedCluster('slurm');
export const PbsCluster = namedCluster('pbs');
export const LsfCluster = namedCluster('lsf');
export const SgeCluster = namedCluster('sge');
