// `@drover/core/client`: what a program that uses a cluster needs — connect, submit, gather — and
// nothing that starts clusters or serves the manager.
export { Client, type ClientOptions, type Completed } from '../client/client.js';
export { Future, type FutureStatus } from '../client/future.js';
export { TaskSubmitter, type FutureOr } from '../client/submitter.js';
export { type Streamed } from '../client/map-stream.js';
export { type SubmitOptions } from '../client/submit-options.js';
export { moduleFunction, capture, type ModuleFunction } from '../client/function-ref.js';
export { ref, GraphRef, type GraphTask, type GraphFutures } from '../client/task-graph-spec.js';
export { RemoteTaskError, CancelledError, SchedulerLostError } from '../client/errors.js';
export { type ConnectTarget } from '../client/connect-target.js';
export { readSchedulerFile, type SchedulerFileContents } from '../scheduler/scheduler-file.js';
export { CommandError, type CommandResult, type CommandSpec } from '../worker/command-task.js';
export { UnserializableError } from '../protocol/codec.js';
export { CloseCode, PROTOCOL_VERSION } from '../protocol/close-codes.js';
export type { TaskEvent, DepartureReason } from '../protocol/messages.js';
export { TlsConfigError, type TlsFiles } from '../protocol/tls.js';
