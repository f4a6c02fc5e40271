// `@drover/core/cluster`: start and scale clusters from a program — local, SLURM, PBS, LSF, SGE —
// with the scheduler and worker they run; no manager, no HTTP API.
export { LocalCluster, type LocalClusterOptions } from '../cluster/local-cluster.js';
export { AdaptiveController, type AdaptiveTarget } from '../cluster/adaptive.js';
export type { Cluster, ClusterStatus, ScaleRequest, AdaptOptions } from '../cluster/cluster.js';
export { Scheduler, type SchedulerOptions } from '../scheduler/scheduler.js';
export type { SchedulerStatus, WorkerSummary } from '../scheduler/status.js';
export { Worker } from '../worker/worker.js';
export type { WorkerOptions } from '../worker/worker-options.js';
export {
  assignedGpus,
  detectLocalGpus,
  GpuAssignmentError,
  parseDeviceList,
  splitGpus,
  workerGpuIds,
  type GpuAssignment,
  type GpuId,
} from '../worker/gpu-devices.js';
export { defaultInstallation, type Installation } from '../installation.js';
export * from '../jobqueue/index.js';
// The Dask engine: Debian's python3-distributed scheduler and workers, started and watched by Drover.
export { LocalDaskCluster, type LocalDaskClusterOptions } from '../dask/local-dask-cluster.js';
export { DaskJobQueueCluster, type DaskJobQueueSettings } from '../dask/dask-job-queue-cluster.js';
