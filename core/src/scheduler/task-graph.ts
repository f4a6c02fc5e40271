// Over 400 lines on purpose: every task-state transition (submit, ready, run, finish, err, lose,
// recompute from lineage, release, cancel) must see the whole graph and keep its counters in step;
// placement, the ready queue, requirements and task records already live in their own files.
import type { DepartureReason, RemoteError } from '../protocol/messages.js';
import type { ClientOptions, ClientRecord } from './client-record.js';
import type { FunctionRecord } from './function-table.js';
import { ReadyQueue } from './ready-queue.js';
import { Requirements } from './requirements.js';
import { TaskGroups } from './task-group.js';
import { emptyStateCounts, isFinished, TaskRecord, type TaskState } from './task-record.js';
import type { WorkerRecord } from './worker-record.js';

/** What the graph asks the scheduler to do; the graph itself never touches a connection. */
export interface GraphEffects {
  /** A task's result is in memory: tell its clients. */
  inMemory(task: TaskRecord): void;
  erred(task: TaskRecord): void;
  cancelled(task: TaskRecord): void;
  /** The worker may drop this result. */
  free(worker: WorkerRecord, key: string): void;
  /** The worker should stop or skip this task. */
  abort(worker: WorkerRecord, key: string): void;
  /** A ready queue got a task. */
  ready(): void;
}

/** A task to add, as decoded from a client's submit operation. */
export interface TaskSubmission {
  key: string;
  fn: FunctionRecord;
  args: Uint8Array;
  depKeys: string[] | null;
  options: ClientOptions;
  priority: number;
}

/**
 * The task graph and its state machine (DESIGN.md §2): dependencies, readiness, results, errors,
 * retries, cancellation, release and lineage recomputation when results are lost.
 *
 * #### Notes
 * `pendingDependents` counts dependents that have not finished; a result is kept while it is > 0 or
 * while a client holds it. A record is forgotten when, in addition, no dependent record remains,
 * because a dependent might need it recomputed.
 */
export class TaskGraph {
  readonly tasks = new Map<string, TaskRecord>();
  readonly groups = new TaskGroups();
  readonly requirements = new Requirements();
  readonly queues: ReadyQueue[] = [];
  private sequence = 0;

  constructor(
    private readonly effects: GraphEffects,
    /** How many times a task may be executing on a worker that dies before it errs. */
    private readonly allowedCrashes: number,
  ) {}

  /** Adds a task (or joins an existing one with the same key) on behalf of `client`. */
  submit(client: ClientRecord, submission: TaskSubmission): TaskRecord {
    const existing = this.tasks.get(submission.key);
    if (existing) {
      this.want(existing, client);
      return existing;
    }
    let deps: TaskRecord[] | null = null;
    let missing: string | null = null;
    if (submission.depKeys && submission.depKeys.length > 0) {
      deps = [];
      for (const depKey of submission.depKeys) {
        const dep = this.tasks.get(depKey);
        if (dep) deps.push(dep);
        else missing ??= depKey;
      }
    }
    const task = new TaskRecord(
      submission.key,
      submission.fn,
      submission.args,
      deps,
      submission.options.requirement,
      this.groups.get(submission.key),
      submission.priority,
      this.sequence++,
      submission.options.retries,
      submission.options.timeoutMs,
    );
    this.add(task, client);
    if (missing !== null) {
      this.fail(task, {
        name: 'DependencyError',
        message: `task '${task.key}' depends on '${missing}', which the scheduler no longer has: keep its future until dependents are submitted`,
        stack: '',
        key: task.key,
      });
    } else {
      this.evaluate(task);
    }
    return task;
  }

  /** Registers data a client scattered to `worker`: in memory from the start, with no lineage. */
  addScattered(
    client: ClientRecord,
    key: string,
    worker: WorkerRecord,
    nbytes: number,
    options: ClientOptions,
  ): void {
    const old = this.tasks.get(key);
    if (old) {
      this.want(old, client);
      return;
    }
    const task = new TaskRecord(
      key,
      null,
      null,
      null,
      options.requirement,
      this.groups.get(key),
      0,
      this.sequence++,
      0,
    );
    this.add(task, client);
    task.nbytes = nbytes;
    task.worker = worker;
    worker.holding.add(task);
    this.setState(task, 'memory');
    this.effects.inMemory(task);
  }

  /** Puts a queued task (already popped from its queue) on `worker`. */
  assign(task: TaskRecord, worker: WorkerRecord): void {
    this.setState(task, 'processing');
    task.worker = worker;
    worker.processing.add(task);
    worker.commit(task.requirement.resources, 1);
  }

  /**
   * Puts a waiting task on `worker` ahead of time: its unfinished inputs are all processing on that
   * worker, which starts it as soon as they are done, without a round trip to the scheduler.
   */
  assignAhead(task: TaskRecord, worker: WorkerRecord): void {
    this.setState(task, 'processing');
    task.worker = worker;
    worker.processing.add(task);
    worker.commit(task.requirement.resources, 1);
  }

  /** A result moved to another worker (a retiring worker handed it over). */
  moved(task: TaskRecord, to: WorkerRecord): void {
    task.worker?.holding.delete(task);
    task.worker = to;
    to.holding.add(task);
    this.effects.inMemory(task);
  }

  /** A worker began executing `task`. */
  started(worker: WorkerRecord, key: string): TaskRecord | null {
    const task = this.tasks.get(key);
    if (!task || task.state !== 'processing' || task.worker !== worker) return null;
    task.started = true;
    return task;
  }

  /** A worker finished `key`; returns the task, or null when the report is stale. */
  finished(worker: WorkerRecord, key: string, nbytes: number): TaskRecord | null {
    const task = this.tasks.get(key);
    if (!task || task.state !== 'processing' || task.worker !== worker) {
      if (!(task && task.state === 'memory' && task.worker === worker)) this.effects.free(worker, key);
      return null;
    }
    this.leaveWorker(task);
    task.nbytes = nbytes;
    task.worker = worker;
    worker.holding.add(task);
    this.setState(task, 'memory');
    if (task.dependents) {
      for (const dependent of task.dependents) {
        if (dependent.state === 'waiting' && --dependent.waitingOn === 0) this.makeReady(dependent);
      }
    }
    this.effects.inMemory(task);
    this.maybeRelease(task);
    return task;
  }

  /** A task raised an error on a worker: retry it or mark it (and its dependents) erred. */
  raised(worker: WorkerRecord, key: string, error: RemoteError): TaskRecord | null {
    const task = this.tasks.get(key);
    if (!task || task.state !== 'processing' || task.worker !== worker) return null;
    this.leaveWorker(task);
    task.failures++;
    if (task.failures <= task.retries) {
      this.pullBackDependents(task, worker);
      this.makeReady(task);
    } else {
      this.fail(task, error);
    }
    return task;
  }

  /** A client no longer holds `key`. */
  release(client: ClientRecord, key: string): void {
    const task = this.tasks.get(key);
    if (!task?.clients) return;
    const index = task.clients.indexOf(client);
    if (index < 0) return;
    task.clients.splice(index, 1);
    if (task.clients.length === 0) task.clients = null;
    this.maybeRelease(task);
  }

  /** Drops every reference `client` holds (it disconnected). */
  releaseAll(client: ClientRecord): void {
    for (const task of [...this.tasks.values()])
      if (task.clients?.includes(client)) this.release(client, task.key);
  }

  /** Cancels a task that has not finished, and everything that depends on it. */
  cancel(key: string): void {
    const task = this.tasks.get(key);
    if (!task || isFinished(task.state)) return;
    const stack = [task];
    const done: TaskRecord[] = [];
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (isFinished(t.state)) continue;
      this.leaveWorker(t, true);
      this.setState(t, 'cancelled');
      this.effects.cancelled(t);
      done.push(t);
      if (t.dependents) stack.push(...t.dependents);
    }
    for (const t of done) this.maybeRelease(t);
  }

  /** Unstarted tasks a retiring worker gives back: queued again, no retry spent. */
  handBack(worker: WorkerRecord, keys: string[]): void {
    for (const key of keys) {
      const task = this.tasks.get(key);
      if (!task || task.state !== 'processing' || task.worker !== worker || task.started) continue;
      this.leaveWorker(task);
      // A task assigned ahead may still wait for inputs.
      this.setState(task, 'waiting');
      this.evaluate(task);
    }
  }

  /**
   * A worker could not get `depKey` for `key`: the copy it was pointed at is gone. The dependency is
   * recomputed from its lineage and the task waits for it again.
   */
  missing(worker: WorkerRecord, key: string, depKey: string): void {
    const task = this.tasks.get(key);
    const dep = this.tasks.get(depKey);
    if (dep && dep.state === 'memory') this.loseResult(dep);
    if (task && task.state === 'processing' && task.worker === worker) {
      this.leaveWorker(task);
      this.pullBackDependents(task, worker);
      this.setState(task, 'waiting');
      this.evaluate(task);
    }
  }

  /**
   * Takes back the dependents of `task` that were assigned ahead to `worker` to wait for it there,
   * now that `task` will not finish there: they wait in the scheduler again.
   */
  private pullBackDependents(task: TaskRecord, worker: WorkerRecord): void {
    for (const dependent of task.dependents ?? []) {
      if (dependent.state !== 'processing' || dependent.worker !== worker || dependent.started) continue;
      this.pullBackDependents(dependent, worker);
      this.leaveWorker(dependent, true);
      this.setState(dependent, 'waiting');
      this.evaluate(dependent);
    }
  }

  /**
   * A worker left. Tasks it was running go back to the queue (a crash counts against the task,
   * a planned departure does not); results only it held are recomputed when still needed.
   * Returns the tasks that were executing on it.
   */
  workerLeft(
    worker: WorkerRecord,
    departure: DepartureReason | null,
    memoryLimit: number | null = null,
  ): TaskRecord[] {
    for (const task of [...worker.holding]) this.loseResult(task);
    const executing: TaskRecord[] = [];
    // A worker that restarted over its memory limit did not plan it: its running tasks are suspect.
    const overMemory = departure === 'memory-limit';
    const planned = departure !== null && !overMemory;
    for (const task of [...worker.processing]) {
      const wasStarted = task.started;
      this.leaveWorker(task);
      if (wasStarted) executing.push(task);
      if (wasStarted && overMemory) task.memoryRestarts++;
      if (wasStarted && !planned && ++task.crashes > this.allowedCrashes) {
        this.fail(
          task,
          overMemory
            ? memoryError(task, worker, memoryLimit, this.allowedCrashes)
            : {
                name: 'KilledWorkerError',
                message:
                  `task '${task.key}' was running on ${task.crashes} workers that died (last: ${worker.name}); ` +
                  `it may be what kills them (memory?). The limit is the scheduler option allowedCrashes=${this.allowedCrashes}`,
                stack: '',
                key: task.key,
              },
        );
        continue;
      }
      this.setState(task, 'waiting');
      this.evaluate(task);
    }
    return executing;
  }

  /** Number of tasks in each state, over all groups. */
  countByState(): Record<TaskState, number> {
    const totals = emptyStateCounts();
    for (const group of this.groups.values()) {
      for (const state in totals) totals[state as TaskState] += group.counts[state as TaskState];
    }
    return totals;
  }

  private add(task: TaskRecord, client: ClientRecord): void {
    this.tasks.set(task.key, task);
    task.clients = [client];
    task.group.total++;
    task.group.counts.waiting++;
    if (task.deps) {
      for (const dep of task.deps) {
        (dep.dependents ??= new Set()).add(task);
        dep.pendingDependents++;
      }
    }
  }

  private want(task: TaskRecord, client: ClientRecord): void {
    if (!task.clients) task.clients = [client];
    else if (!task.clients.includes(client)) task.clients.push(client);
    if (task.state === 'memory') this.effects.inMemory(task);
    else if (task.state === 'erred') this.effects.erred(task);
    else if (task.state === 'released' || task.state === 'cancelled') this.recompute(task);
  }

  /** Counts unfinished dependencies; queues the task when there are none. */
  private evaluate(task: TaskRecord): void {
    task.waitingOn = 0;
    for (const dep of task.deps ?? []) {
      if (dep.state === 'memory') continue;
      if (dep.state === 'erred') return this.fail(task, dep.error!);
      if (dep.state === 'cancelled') return this.cancel(task.key);
      if (dep.state === 'released') this.recompute(dep);
      task.waitingOn++;
    }
    if (task.waitingOn === 0) this.makeReady(task);
  }

  private recompute(task: TaskRecord): void {
    if (!task.fn) {
      this.fail(task, {
        name: 'LostDataError',
        message: `scattered data '${task.key}' was lost with its worker; scatter it again`,
        stack: '',
        key: task.key,
      });
      return;
    }
    task.error = null;
    this.setState(task, 'waiting');
    this.evaluate(task);
  }

  private loseResult(task: TaskRecord): void {
    task.worker?.holding.delete(task);
    task.worker = null;
    if (task.state === 'memory') this.setState(task, 'released');
    if (task.clients || task.pendingDependents > 0) {
      // Dependents that were ready counted on this result.
      for (const dependent of task.dependents ?? []) {
        if (dependent.state === 'queued') this.setState(dependent, 'waiting');
      }
      this.recompute(task);
      for (const dependent of task.dependents ?? []) {
        if (dependent.state === 'waiting') this.evaluate(dependent);
      }
    } else {
      this.maybeForget(task);
    }
  }

  private makeReady(task: TaskRecord): void {
    this.setState(task, 'queued');
    const id = task.requirement.id;
    (this.queues[id] ??= new ReadyQueue()).push(task);
    this.effects.ready();
  }

  /** Marks `task` and its unfinished dependents erred with `error`. */
  fail(task: TaskRecord, error: RemoteError): void {
    const stack = [task];
    const done: TaskRecord[] = [];
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (isFinished(t.state)) continue;
      this.leaveWorker(t, true);
      t.error = error;
      this.setState(t, 'erred');
      this.effects.erred(t);
      done.push(t);
      if (t.dependents) stack.push(...t.dependents);
    }
    for (const t of done) this.maybeRelease(t);
  }

  /** Takes a processing task off its worker (and tells the worker when `abort`). */
  private leaveWorker(task: TaskRecord, abort = false): void {
    if (task.state !== 'processing' || !task.worker) return;
    const worker = task.worker;
    worker.processing.delete(task);
    worker.commit(task.requirement.resources, -1);
    if (abort) this.effects.abort(worker, task.key);
    task.worker = null;
    task.started = false;
  }

  private setState(task: TaskRecord, next: TaskState): void {
    const previous = task.state;
    if (previous === next) return;
    task.group.counts[previous]--;
    task.group.counts[next]++;
    task.state = next;
    // Leaving `queued` other than by assignment leaves a stale entry in the ready queue.
    if (previous === 'queued' && next !== 'processing') this.queues[task.requirement.id]!.noteStale();
    if (task.deps && isFinished(previous) !== isFinished(next)) {
      const finishing = isFinished(next);
      for (const dep of task.deps) {
        if (finishing) {
          dep.pendingDependents--;
          this.maybeRelease(dep);
        } else {
          dep.pendingDependents++;
        }
      }
    }
  }

  /** Frees a result nobody needs, cancels work nobody wants, forgets what nothing refers to. */
  private maybeRelease(task: TaskRecord): void {
    if (task.clients || task.pendingDependents > 0) return;
    if (task.state === 'memory') {
      this.effects.free(task.worker!, task.key);
      task.worker!.holding.delete(task);
      task.worker = null;
      this.setState(task, 'released');
    } else if (!isFinished(task.state)) {
      this.leaveWorker(task, true);
      this.setState(task, 'cancelled');
    }
    this.maybeForget(task);
  }

  private maybeForget(first: TaskRecord): void {
    const stack = [first];
    while (stack.length > 0) {
      const task = stack.pop()!;
      if (task.clients || task.pendingDependents > 0 || (task.dependents && task.dependents.size > 0))
        continue;
      if (!isFinished(task.state) || task.state === 'memory' || this.tasks.get(task.key) !== task) continue;
      this.tasks.delete(task.key);
      task.group.counts[task.state]--;
      task.group.total--;
      for (const dep of task.deps ?? []) {
        dep.dependents!.delete(task);
        stack.push(dep);
      }
    }
  }
}

/** The error of a task whose workers restarted over their memory limit while it ran, too often. */
function memoryError(
  task: TaskRecord,
  worker: WorkerRecord,
  limit: number | null,
  allowed: number,
): RemoteError {
  const perWorker = limit ? ` of ${Math.round(limit / 2 ** 20)} MiB per worker` : '';
  return {
    name: 'MemoryLimitError',
    message:
      `task '${task.key}' exceeded the memory limit${perWorker} ${task.memoryRestarts} times ` +
      `(its worker restarted each time; last: ${worker.name}). Give it less data at once, or the ` +
      `workers more memory (memory / memoryLimit); the scheduler option allowedCrashes=${allowed} sets how often it is retried`,
    stack: '',
    key: task.key,
  };
}
