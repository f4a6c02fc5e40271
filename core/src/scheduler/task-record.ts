import type { RemoteError } from '../protocol/messages.js';
import type { ClientRecord } from './client-record.js';
import type { FunctionRecord } from './function-table.js';
import type { TaskGroup } from './task-group.js';
import type { Requirement } from './requirements.js';
import type { WorkerRecord } from './worker-record.js';

/**
 * Task states (DESIGN.md §2).
 * - `waiting`: some dependency is not in memory yet;
 * - `queued`: ready, waiting for a worker slot;
 * - `processing`: assigned to a worker (maybe still in its local queue);
 * - `memory`: the result is held by `worker`;
 * - `erred`, `cancelled`: final, with no result;
 * - `released`: the result was dropped because nobody needed it; the spec is kept while dependents
 *   might need it recomputed. A task nobody refers to any more is forgotten (removed).
 */
export type TaskState = 'waiting' | 'queued' | 'processing' | 'memory' | 'erred' | 'cancelled' | 'released';

/** A zero count for every state. */
export function emptyStateCounts(): Record<TaskState, number> {
  return { waiting: 0, queued: 0, processing: 0, memory: 0, erred: 0, cancelled: 0, released: 0 };
}

/** States after which a task no longer needs its dependencies. */
export function isFinished(state: TaskState): boolean {
  return state === 'memory' || state === 'erred' || state === 'cancelled' || state === 'released';
}

/**
 * The scheduler's record of one task. Kept small: 100,000 queued tasks must fit in 100 MiB.
 */
export class TaskRecord {
  state: TaskState = 'waiting';
  /** Tasks that use this one's result; a Set only once there is one. */
  dependents: Set<TaskRecord> | null = null;
  /** Dependencies not yet in memory. */
  waitingOn = 0;
  /** Dependents not yet finished: while > 0 the result must be kept. */
  pendingDependents = 0;
  clients: ClientRecord[] | null = null;
  /** The worker it is processing on, or the worker holding its result. */
  worker: WorkerRecord | null = null;
  /** True once the worker reported that it started executing. */
  started = false;
  /** Failed attempts (task errors), compared with `retries`. */
  failures = 0;
  /** Times a worker died while this task was executing on it. */
  crashes = 0;
  /** How many of those crashes were workers restarting over their memory limit. */
  memoryRestarts = 0;
  error: RemoteError | null = null;
  nbytes = 0;

  constructor(
    readonly key: string,
    /** null for scattered data, which has no lineage. */
    readonly fn: FunctionRecord | null,
    readonly args: Uint8Array | null,
    readonly deps: TaskRecord[] | null,
    readonly requirement: Requirement,
    readonly group: TaskGroup,
    readonly priority: number,
    readonly sequence: number,
    readonly retries: number,
    /** Milliseconds it may run once started; null: no limit. */
    readonly timeoutMs: number | null = null,
  ) {}
}

/** Orders ready tasks: higher priority first, then submission order. */
export function runsBefore(a: TaskRecord, b: TaskRecord): boolean {
  return a.priority !== b.priority ? a.priority > b.priority : a.sequence < b.sequence;
}
