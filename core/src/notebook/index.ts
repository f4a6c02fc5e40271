/**
 * `@drover/core/notebook` — for notebook kernels (Deno's TypeScript kernel, or Node): find the
 * running Drover manager and get a client connected to one of its clusters.
 */
export { clusters, closeCluster, connect, startCluster } from './connect.js';
export type { ClusterSpec } from '../manager/api-types.js';
export { ManagerApi, type NotebookCluster } from './manager-api.js';
export {
  findManager,
  managerFileDirectory,
  type ManagerFile,
  type ManagerLocation,
} from '../manager/manager-file.js';
export { Client, type ClientOptions } from '../client/client.js';
export { capture } from '../client/function-ref.js';
