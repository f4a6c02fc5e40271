import type { ClusterModel, JobModel } from './api-types.js';

/** The events a manager emits, with their arguments. */
export interface ManagerEvents {
  /** A cluster appeared or changed. */
  cluster: [cluster: ClusterModel];
  /** A cluster is gone. */
  'cluster-removed': [name: string];
  /** A batch job of a cluster changed state. */
  job: [cluster: string, job: JobModel];
}
