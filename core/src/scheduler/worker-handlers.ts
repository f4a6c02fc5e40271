import { createLogger } from '../logger.js';
import { CloseCode } from '../protocol/close-codes.js';
import type { DepartureReason } from '../protocol/messages.js';
import type { WorkerToScheduler } from '../protocol/operations.js';
import type { SchedulerState } from './scheduler-state.js';
import type { TaskRecord } from './task-record.js';
import type { WorkerRecord } from './worker-record.js';

const log = createLogger('scheduler');
/** How long a retiring worker may take to hand its results over before it is told to go anyway. */
const HANDOVER_TIMEOUT_MS = 30_000;

interface Retirement {
  gone: Promise<void>;
  resolveGone: () => void;
  acquiring: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Operations workers send, what the scheduler sends them, and planned departures.
 *
 * Worker → scheduler: `start`, `done`, `error`, `missing`, `handback`, `heartbeat`, `data`,
 * `acquired`, `retiring`, `drained`, `goodbye`.
 * Scheduler → worker: `fn`, `compute`, `put`, `free`, `abort`, `get-data`, `acquire`, `retire`, `close`.
 */
export class WorkerHandlers {
  private readonly retirements = new Map<WorkerRecord, Retirement>();

  constructor(
    private readonly scheduler: SchedulerState,
    /** Where a worker's `data` answer goes: the client fetch it belongs to. */
    private readonly dataArrived: (worker: WorkerRecord, fetchId: number, entries: unknown[]) => void,
  ) {}

  /**
   * Stops a task that runs past its `timeoutMs`: the worker aborts it (ending the thread or the
   * command) and the task raises TaskTimeoutError, which spends a retry like any error. A timer
   * whose run already ended (finished, retried, moved) does nothing.
   */
  private armTimeout(task: TaskRecord, worker: WorkerRecord, slot: number, startedAt: number): void {
    const { failures, crashes } = task;
    const ms = task.timeoutMs!;
    setTimeout(() => {
      const sameRun =
        task.state === 'processing' &&
        task.worker === worker &&
        task.failures === failures &&
        task.crashes === crashes;
      if (!sameRun) return;
      worker.connection.send(['abort', task.key]);
      const error = {
        name: 'TaskTimeoutError',
        message: `task '${task.key}' ran longer than its timeoutMs (${ms} ms) and was stopped. Raise timeoutMs if it needs longer.`,
        stack: '',
        key: task.key,
      };
      if (!this.scheduler.graph.raised(worker, task.key, error)) return;
      this.scheduler.recordEvent(task, worker, slot, startedAt, Date.now(), 'erred');
      this.scheduler.requestScheduling();
    }, ms).unref();
  }

  handle(worker: WorkerRecord, op: WorkerToScheduler): void {
    worker.lastSeen = Date.now();
    const graph = this.scheduler.graph;
    switch (op[0]) {
      case 'start': {
        const task = graph.started(worker, op[1]);
        if (task) this.scheduler.recordEvent(task, worker, op[2], op[3], 0, 'processing');
        if (task?.timeoutMs) this.armTimeout(task, worker, op[2], op[3]);
        return;
      }
      case 'done': {
        const [, key, slot, start, stop, nbytes] = op;
        const task = graph.finished(worker, key, nbytes);
        if (!task) return;
        task.group.recordDuration(stop - start);
        this.scheduler.throughput.add();
        this.scheduler.recordEvent(task, worker, slot, start, stop, 'memory');
        this.scheduler.requestScheduling();
        return;
      }
      case 'error': {
        const [, key, slot, start, stop, error] = op;
        const task = graph.raised(worker, key, { ...error, key });
        if (!task) return;
        this.scheduler.throughput.add();
        this.scheduler.recordEvent(task, worker, slot, start, stop, 'erred');
        this.scheduler.requestScheduling();
        return;
      }
      case 'missing':
        graph.missing(worker, op[1], op[2]);
        this.scheduler.requestScheduling();
        return;
      case 'handback':
        graph.handBack(worker, op[1]);
        this.scheduler.requestScheduling();
        return;
      case 'heartbeat': {
        worker.metrics = op[1];
        if (worker.status !== 'retiring') {
          const next = worker.metrics.paused ? 'paused' : 'running';
          if (next !== worker.status) {
            worker.status = next;
            if (next === 'running') this.scheduler.requestScheduling();
          }
        }
        return;
      }
      case 'data':
        this.dataArrived(worker, op[1], op[2]);
        return;
      case 'acquired':
        return this.acquired(worker, op[1], op[2] === true);
      case 'retiring':
        this.markRetiring(worker, op[1] ?? 'lifetime');
        return;
      case 'drained':
        return this.handOver(worker);
      case 'goodbye':
        // The worker is leaving on its own (SIGTERM, e.g. its job was cancelled): not the tasks' fault.
        worker.plannedDeparture ??= op[1] ?? 'closed-by-worker';
        return;
      default:
        worker.connection.close(CloseCode.unknownOperation, `unknown operation '${op[0]}'`);
    }
  }

  /** Sends a task to its worker, with its function the first time and where each input lives. */
  sendCompute(task: TaskRecord, worker: WorkerRecord): void {
    const fn = task.fn!;
    const connection = worker.connection;
    if (!worker.knownFunctions.has(fn.id)) {
      worker.knownFunctions.add(fn.id);
      connection.send(['fn', fn.id, fn.definition]);
    }
    let deps: Array<[string, string | null]> | null = null;
    if (task.deps) {
      deps = task.deps.map((dep) => [
        dep.key,
        dep.worker === worker ? null : dep.worker!.identity.dataAddress,
      ]);
    }
    const resources = task.requirement.signature === 'cores=1' ? null : task.requirement.resources;
    connection.send(['compute', task.key, fn.id, task.args, deps, resources]);
  }

  retire(workers: WorkerRecord[], reason: DepartureReason): Promise<void> {
    const gone = workers.map((worker) => {
      const retirement = this.markRetiring(worker, reason);
      worker.connection.send(['retire', reason]);
      return retirement.gone;
    });
    return Promise.all(gone).then(() => undefined);
  }

  workerGone(worker: WorkerRecord): void {
    const retirement = this.retirements.get(worker);
    if (!retirement) return;
    if (retirement.timer) clearTimeout(retirement.timer);
    this.retirements.delete(worker);
    retirement.resolveGone();
  }

  private markRetiring(worker: WorkerRecord, reason: DepartureReason): Retirement {
    let retirement = this.retirements.get(worker);
    if (retirement) return retirement;
    worker.status = 'retiring';
    worker.plannedDeparture = reason;
    let resolveGone!: () => void;
    const gone = new Promise<void>((resolve) => (resolveGone = resolve));
    retirement = { gone, resolveGone, acquiring: 0, timer: null };
    this.retirements.set(worker, retirement);
    if (!this.scheduler.workers.has(worker.id)) this.workerGone(worker);
    return retirement;
  }

  /** A drained retiring worker: copy the results still needed to other workers, then let it go. */
  private handOver(worker: WorkerRecord): void {
    const retirement = this.retirements.get(worker);
    if (!retirement) return;
    const targets = [...this.scheduler.workers.values()].filter((w) => w.status === 'running');
    const needed = [...worker.holding].filter((task) => task.clients || task.pendingDependents > 0);
    if (targets.length === 0 || needed.length === 0) {
      worker.connection.send(['close', worker.plannedDeparture]);
      return;
    }
    needed.forEach((task, i) => {
      targets[i % targets.length]!.connection.send(['acquire', task.key, worker.identity.dataAddress]);
    });
    retirement.acquiring = needed.length;
    retirement.timer = setTimeout(() => {
      log.warn(`worker ${worker.name} did not hand over its results in time; they will be recomputed`);
      worker.connection.send(['close', worker.plannedDeparture]);
    }, HANDOVER_TIMEOUT_MS);
    retirement.timer.unref();
  }

  private acquired(target: WorkerRecord, key: string, ok: boolean): void {
    const task = this.scheduler.graph.tasks.get(key);
    const from = task?.worker;
    const retirement = from ? this.retirements.get(from) : undefined;
    if (!task || !from || !retirement || task.state !== 'memory') {
      // The copy is not needed any more (the task was released or its worker already left).
      if (ok) target.connection.send(['free', key]);
      return;
    }
    if (ok) this.scheduler.graph.moved(task, target);
    else log.warn(`worker ${target.name} could not take over '${key}'; it will be recomputed if needed`);
    if (--retirement.acquiring === 0) from.connection.send(['close', from.plannedDeparture]);
  }
}
