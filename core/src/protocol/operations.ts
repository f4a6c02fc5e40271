/**
 * Every operation, by direction, as a tuple whose first element names it. A connection is typed
 * with what it receives and what it sends, so a handler's `switch (op[0])` knows each operation's
 * arguments and a sender cannot send an operation the other side does not handle.
 *
 * #### Notes
 * Received operations come from another process: their shape is what the peer promised, not
 * something the type system checked. Handlers still check what could harm the scheduler (a key
 * that is not a string, a function id never registered); an operation that throws closes its
 * connection with `malformed` and nothing else.
 */
import type {
  DepartureReason,
  FunctionDefinition,
  RemoteError,
  TaskEvent,
  TaskOptionsWire,
  WorkerMetrics,
} from './messages.js';

/** Result bytes by key; null where the holder no longer has the key. */
export type DataEntries = Array<[key: string, bytes: Uint8Array | null]>;

/** Client → scheduler. Requests carry an id that the `reply` repeats. */
export type ClientToScheduler =
  | readonly [
      'submit',
      key: string,
      fnId: number,
      args: Uint8Array,
      deps: string[] | null,
      optionsId: number,
      priority: number,
    ]
  | readonly ['release', key: string]
  | readonly ['fn', fnId: number, definition: FunctionDefinition]
  | readonly ['opts', optionsId: number, options: TaskOptionsWire]
  | readonly ['cancel', keys: string[]]
  | readonly [
      'scatter',
      requestId: number,
      entries: Array<[key: string, bytes: Uint8Array]>,
      optionsId: number,
    ]
  | readonly ['fetch', requestId: number, keys: string[]]
  | readonly ['task-stream', requestId: number, since: number, limit: number]
  | readonly ['status', requestId: number]
  | readonly ['subscribe', stream: 'task-stream']
  | readonly ['unsubscribe', stream: 'task-stream'];

/** Scheduler → client. */
export type SchedulerToClient =
  | readonly ['welcome', info: Record<string, unknown>]
  | readonly ['memory', key: string, workerId: number]
  | readonly ['worker', workerId: number, dataAddress: string]
  | readonly ['erred', key: string, error: RemoteError]
  | readonly ['cancelled', key: string]
  | readonly ['reply', requestId: number, answer: unknown]
  | readonly ['events', events: TaskEvent[]];

/** Worker → scheduler. Times are epoch milliseconds; `slot` is the worker's lane. */
export type WorkerToScheduler =
  | readonly ['start', key: string, slot: number, start: number]
  | readonly ['done', key: string, slot: number, start: number, stop: number, nbytes: number]
  | readonly [
      'error',
      key: string,
      slot: number,
      start: number,
      stop: number,
      error: Omit<RemoteError, 'key'>,
    ]
  | readonly ['missing', key: string, input: string]
  | readonly ['handback', keys: string[]]
  | readonly ['heartbeat', metrics: WorkerMetrics]
  | readonly ['data', fetchId: number, entries: DataEntries]
  | readonly ['acquired', key: string, ok: boolean]
  | readonly ['retiring', reason: DepartureReason]
  | readonly ['drained']
  | readonly ['goodbye', reason: DepartureReason];

/** Scheduler → worker. `deps` pairs each input key with the address holding it (null: here). */
export type SchedulerToWorker =
  | readonly ['welcome', info: Record<string, unknown>]
  | readonly ['fn', fnId: number, definition: FunctionDefinition]
  | readonly [
      'compute',
      key: string,
      fnId: number,
      args: Uint8Array | null,
      deps: Array<[key: string, address: string | null]> | null,
      demand: Record<string, number> | null,
    ]
  | readonly ['free', key: string]
  | readonly ['put', key: string, bytes: Uint8Array]
  | readonly ['abort', key: string]
  | readonly ['get-data', fetchId: number, keys: string[]]
  | readonly ['acquire', key: string, from: string]
  | readonly ['retire', reason: DepartureReason]
  | readonly ['close', reason: DepartureReason | null];

/** A peer (another worker, or a client) → a worker's data server. */
export type PeerToDataServer = readonly ['get-data', requestId: number, keys: string[]];

/** A worker's data server → a peer. */
export type DataServerToPeer =
  | readonly ['welcome', info: Record<string, unknown>]
  | readonly ['data', requestId: number, entries: DataEntries];
