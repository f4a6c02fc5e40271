import type { TaskOutcome } from '../protocol/messages.js';
import type { SchedulerStatus } from './status.js';
import type { FunctionTable } from './function-table.js';
import type { TaskGraph } from './task-graph.js';
import type { TaskRecord } from './task-record.js';
import type { TaskStream } from './task-stream.js';
import type { ThroughputMeter } from './throughput.js';
import type { WorkerRecord } from './worker-record.js';

/**
 * What the operation handlers read and drive: the scheduler's state and its few actions. The
 * Scheduler hands itself over as this, so the handlers depend on the state, not on the class
 * that owns them.
 */
export interface SchedulerState {
  readonly graph: TaskGraph;
  readonly functions: FunctionTable;
  readonly taskStream: TaskStream;
  readonly throughput: ThroughputMeter;
  readonly workers: ReadonlyMap<number, WorkerRecord>;
  status(): SchedulerStatus;
  /** Records a task-stream event for `task`. */
  recordEvent(
    task: TaskRecord,
    worker: WorkerRecord,
    slot: number,
    start: number,
    stop: number,
    outcome: TaskOutcome,
  ): void;
  /** Places ready tasks at the end of this turn. */
  requestScheduling(): void;
}
