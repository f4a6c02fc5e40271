// Public API of the manager: cluster specs, the ClusterManager, and the HTTP + WebSocket server.
export * from './api-types.js';
export { specFields, fieldsFor, CLUSTER_KINDS, KIND_LABELS } from './spec/fields.js';
export {
  validateClusterSpec,
  checkClusterSpec,
  MAX_SCALE,
  type ValidSpec,
  type CheckedSpec,
  type LocalSettings,
} from './spec/validate-spec.js';
export { clusterSpecJsonSchema } from './spec/json-schema.js';
export { SpecError } from './spec/spec-error.js';
export { ManagerError } from './errors.js';
export { renderPreview } from './preview.js';
export { importJobqueueSpecs, type ImportedSpec } from './jobqueue-import.js';
export { createCluster, canStart } from './cluster-factory.js';
export { ClusterManager, type ClusterMetrics } from './cluster-manager.js';
export type { ClusterManagerOptions } from './cluster-manager-options.js';
export type { ManagerEvents } from './manager-events.js';
export {
  ManagerSession,
  MAX_BACKLOG_BYTES,
  type SessionOptions,
  type SessionSource,
} from './manager-session.js';
export { type ExportedScript } from './spec-actions.js';
export { type JobLogRequest } from './job-log.js';
export { ManagedCluster } from './managed-cluster.js';
export { TaskStreamAggregator } from './task-aggregator.js';
export { ClusterStateStore, type ClusterRecord } from './state-store.js';
export { ProfileStore } from './profile-store.js';
export { ApiServer, type ApiServerOptions } from './server/api-server.js';
export {
  findManager,
  managerFileDirectory,
  writeManagerFile,
  removeManagerFile,
  listManagerFiles,
  type ManagerFile,
  type ManagerLocation,
} from './manager-file.js';
