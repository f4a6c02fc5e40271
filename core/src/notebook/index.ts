/**
 * `@drover/core/notebook` — for notebook kernels (Deno's TypeScript kernel, or Node): find the
 * running Drover manager and get a client connected to one of its clusters.
 */
export { connect, clusters } from './connect.js';
export { ManagerApi, type NotebookCluster } from './manager-api.js';
export {
  findManager,
  managerFileDirectory,
  type ManagerFile,
  type ManagerLocation,
} from '../manager/manager-file.js';
export { Client, type ClientOptions } from '../client/client.js';
export { capture } from '../client/function-ref.js';
