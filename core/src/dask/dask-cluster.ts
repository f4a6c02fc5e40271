import { DaskJobQueueCluster } from './dask-job-queue-cluster.js';
import { LocalDaskCluster } from './local-dask-cluster.js';

/** A cluster of the Dask engine: processes on this machine, or workers in batch jobs. */
export type DaskCluster = LocalDaskCluster | DaskJobQueueCluster;

export function isDaskCluster(cluster: unknown): cluster is DaskCluster {
  return cluster instanceof LocalDaskCluster || cluster instanceof DaskJobQueueCluster;
}
