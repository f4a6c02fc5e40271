import type { Connection } from '../protocol/connection.js';
import type { SchedulerToWorker, WorkerToScheduler } from '../protocol/operations.js';
import type { WorkerIdentity, WorkerMetrics, DepartureReason } from '../protocol/messages.js';
import type { TaskRecord } from './task-record.js';

/** `running` takes tasks; `paused` (memory pressure) and `retiring` do not. */
export type WorkerStatus = 'running' | 'paused' | 'retiring';

/** The scheduler's record of one connected worker. */
export class WorkerRecord {
  status: WorkerStatus = 'running';
  /** Resources its assigned tasks use (cores may exceed capacity by the prefetch allowance). */
  readonly committed: Record<string, number> = {};
  readonly capacity: Record<string, number>;
  readonly processing = new Set<TaskRecord>();
  readonly holding = new Set<TaskRecord>();
  readonly knownFunctions = new Set<number>();
  lastSeen = Date.now();
  metrics: WorkerMetrics | null = null;
  /** Set when the worker is leaving on purpose, so its losses spend no retry. */
  plannedDeparture: DepartureReason | null = null;
  readonly joinedAt = Date.now();

  constructor(
    readonly id: number,
    readonly identity: WorkerIdentity,
    readonly connection: Connection<WorkerToScheduler, SchedulerToWorker>,
  ) {
    this.capacity = {
      cores: identity.nthreads,
      gpus: 0,
      memory: identity.memoryLimit ?? Infinity,
      ...identity.resources,
    };
    for (const name of Object.keys(this.capacity)) this.committed[name] = 0;
  }

  get name(): string {
    return this.identity.name;
  }

  commit(resources: Readonly<Record<string, number>>, sign: 1 | -1): void {
    for (const name in resources)
      this.committed[name] = (this.committed[name] ?? 0) + sign * resources[name]!;
  }
}

/** A worker that left, kept for the status page and the API. */
export interface DepartedWorker {
  name: string;
  dataAddress: string;
  jobId: string | null;
  reason: DepartureReason;
  joinedAt: number;
  leftAt: number;
  /** Tasks it was executing when it left. */
  lostTasks: number;
}
