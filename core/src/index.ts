/**
 * @drover/core — Drover's engine: scheduler, workers, client, clusters.
 */
export { Client, type ClientOptions, type Completed } from './client/client.js';
export { Future, type FutureStatus } from './client/future.js';
export { TaskSubmitter, type FutureOr } from './client/submitter.js';
export { type Streamed } from './client/map-stream.js';
export { type SubmitOptions } from './client/submit-options.js';
export { moduleFunction, type ModuleFunction } from './client/function-ref.js';
export { ref, GraphRef, type GraphTask, type GraphFutures } from './client/task-graph-spec.js';
export { RemoteTaskError, CancelledError, SchedulerLostError } from './client/errors.js';
export { type ConnectTarget } from './client/connect-target.js';
export { LocalCluster, type LocalClusterOptions } from './cluster/local-cluster.js';
export { AdaptiveController, type AdaptiveTarget } from './cluster/adaptive.js';
export type { Cluster, ClusterStatus, ScaleRequest, AdaptOptions } from './cluster/cluster.js';
export { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
export type { SchedulerStatus, WorkerSummary } from './scheduler/status.js';
export { readSchedulerFile, type SchedulerFileContents } from './scheduler/scheduler-file.js';
export { Worker } from './worker/worker.js';
export type { WorkerOptions } from './worker/worker-options.js';
export { CommandError, type CommandResult, type CommandSpec } from './worker/command-task.js';
export { UnserializableError } from './protocol/codec.js';
export { CloseCode, PROTOCOL_VERSION } from './protocol/close-codes.js';
export type { TaskEvent, DepartureReason } from './protocol/messages.js';
export { TlsConfigError, type TlsFiles } from './protocol/tls.js';
export {
  createLogger,
  setLogLevel,
  addLogSink,
  type LogLevel,
  type LogRecord,
  type LogSink,
} from './logger.js';
export {
  defaultInstallation,
  droverScript,
  templateDirectoryOf,
  dashboardDirectoryOf,
  type Installation,
} from './installation.js';
export * from './jobqueue/index.js';
export * from './manager/index.js';
