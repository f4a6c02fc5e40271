import { Worker as Thread } from 'node:worker_threads';
import type { FunctionDefinition } from '../protocol/messages.js';
import type { TaskContext, ThreadJob, ThreadOutcome } from './thread-messages.js';

/** Most jobs queued inside one thread (see {@link ThreadPool.dispatch}). */
const MAX_QUEUED_PER_THREAD = 256;
/** Chained jobs wait for their inputs anyway, so more of them may queue (the scheduler bounds them). */
const MAX_CHAINED_PER_THREAD = 4096;
/** The file each pool thread runs, and the workerData that tells a single-file bundle to be one. */
let threadEntry: { url: URL; workerData?: unknown } = { url: new URL('./thread-entry.js', import.meta.url) };

/**
 * Makes pool threads run `url` (given `workerData`) instead of thread-entry.js next to this module:
 * the single-file worker bundle runs itself as the thread, since it has no files beside it.
 */
export function useThreadEntry(url: URL, workerData: unknown): void {
  threadEntry = { url, workerData };
}

/** A job handed to a thread: its slot, its id (to cancel it) and its outcome. */
export interface DispatchedJob {
  slot: number;
  job: number;
  outcome: Promise<ThreadOutcome>;
}

interface PendingJob {
  resolve: (outcome: ThreadOutcome) => void;
  start: number;
  /** Called once, with the thread's slot, when the job is first in its thread's line. */
  onStart: ((slot: number) => void) | null;
}

interface PoolThread {
  index: number;
  thread: Thread;
  /** Jobs sent and not yet answered, by id. */
  /** Jobs sent and not yet answered, in the order the thread runs them. */
  pending: Map<number, PendingJob>;
  /** Jobs to post at the end of this turn, and the same by task key. */
  outbox: ThreadJob[];
  outboxByKey: Map<string, ThreadJob>;
  knownFunctions: Set<number>;
  failure: Error | null;
}

/**
 * A fixed set of threads that run function tasks, so CPU-bound tasks never block the worker's event
 * loop (heartbeats, transfers). Each thread is one slot.
 *
 * #### Notes
 * Jobs travel to a thread in batches (one message per thread per event-loop turn) and outcomes come
 * back in batches, which is what lets thousands of tiny tasks a second through. Short tasks may also
 * queue inside a busy thread so it never waits for the next job.
 *
 * A thread that dies (an uncaught error in a callback, or running out of its heap limit) fails the
 * tasks it had with an error that says so, and is replaced.
 */
export class ThreadPool {
  private readonly threads: PoolThread[] = [];
  private nextJob = 1;
  private closing = false;
  private flushScheduled = false;

  constructor(
    size: number,
    /** Heap limit per thread in MiB (memory limit / threads), or null for V8's default. */
    private readonly heapLimitMb: number | null,
  ) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn(i));
  }

  /** Threads with nothing to do. */
  get idle(): number {
    let n = 0;
    for (const t of this.threads) if (t.pending.size === 0) n++;
    return n;
  }

  /** Whether a short task could be queued on some thread now. */
  get canQueue(): boolean {
    return this.threads.some((t) => t.pending.size < MAX_QUEUED_PER_THREAD);
  }

  /**
   * Runs a task: on an idle thread, or — when `queueBehind` — queued behind others on the least
   * busy thread. Resolves with the outcome and the thread (slot) that ran it; `onStart` is called
   * when the job is first in its thread's line.
   */
  dispatch(
    fnId: number,
    definition: FunctionDefinition,
    args: Uint8Array,
    deps: Array<[string, Uint8Array]> | null,
    context: TaskContext,
    queueBehind: boolean,
    onStart: ((slot: number) => void) | null = null,
  ): DispatchedJob {
    let target: PoolThread | undefined;
    for (const t of this.threads) {
      if (!target || t.pending.size < target.pending.size) target = t;
    }
    if (
      !target ||
      (target.pending.size > 0 && !queueBehind) ||
      target.pending.size >= MAX_QUEUED_PER_THREAD
    ) {
      throw new Error('no thread can take the task now');
    }
    return this.enqueue(target, fnId, definition, args, deps, context, onStart);
  }

  /**
   * The thread whose not-yet-sent jobs include every one of `keys`, if it has room for one more:
   * a task waiting only for those can be queued right behind them there ({@link dispatchChained}).
   */
  chainableSlot(keys: readonly string[]): number | null {
    for (const t of this.threads) {
      if (t.pending.size >= MAX_CHAINED_PER_THREAD) continue;
      if (keys.every((key) => t.outboxByKey.has(key))) return t.index;
    }
    return null;
  }

  /**
   * Queues a task on thread `slot` behind the jobs that compute its `chained` inputs; that thread
   * keeps those results and hands them over itself, without a trip through the main thread.
   */
  dispatchChained(
    slot: number,
    chained: readonly string[],
    fnId: number,
    definition: FunctionDefinition,
    args: Uint8Array,
    deps: Array<[string, Uint8Array]>,
    context: TaskContext,
    onStart: ((slot: number) => void) | null = null,
  ): DispatchedJob {
    const poolThread = this.threads[slot]!;
    for (const key of chained) poolThread.outboxByKey.get(key)!.keepFor++;
    const allDeps: Array<[string, Uint8Array | null]> = [
      ...deps,
      ...chained.map((key): [string, null] => [key, null]),
    ];
    return this.enqueue(poolThread, fnId, definition, args, allDeps, context, onStart);
  }

  private enqueue(
    chosen: PoolThread,
    fnId: number,
    definition: FunctionDefinition,
    args: Uint8Array,
    deps: Array<[string, Uint8Array | null]> | null,
    context: TaskContext,
    onStart: ((slot: number) => void) | null,
  ): DispatchedJob {
    const id = this.nextJob++;
    const firstUse = !chosen.knownFunctions.has(fnId);
    chosen.knownFunctions.add(fnId);
    const job: ThreadJob = {
      id,
      fnId,
      definition: firstUse ? definition : null,
      args,
      deps,
      context,
      keepFor: 0,
    };
    chosen.outbox.push(job);
    chosen.outboxByKey.set(context.key, job);
    this.scheduleFlush();
    const outcome = new Promise<ThreadOutcome>((resolve) =>
      chosen.pending.set(id, { resolve, start: Date.now(), onStart }),
    );
    if (chosen.pending.size === 1) startHead(chosen);
    return { slot: chosen.index, job: id, outcome };
  }

  /**
   * Stops a job. A job running alone on its thread is stopped by ending the thread (which is then
   * replaced); a job queued with others is left to finish, and its outcome should be ignored.
   */
  cancel(slot: number, job: number): void {
    const poolThread = this.threads[slot];
    if (!poolThread?.pending.has(job) || poolThread.pending.size > 1) return;
    poolThread.failure = new Error('the task was cancelled');
    void poolThread.thread.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.thread.terminate()));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const t of this.threads) {
        if (t.outbox.length === 0) continue;
        const jobs = t.outbox;
        t.outbox = [];
        t.outboxByKey.clear();
        t.thread.postMessage(jobs);
      }
    });
  }

  private spawn(index: number): PoolThread {
    const resourceLimits = this.heapLimitMb ? { maxOldGenerationSizeMb: this.heapLimitMb } : undefined;
    const thread = new Thread(threadEntry.url, {
      resourceLimits,
      stdout: false,
      stderr: false,
      ...(threadEntry.workerData !== undefined ? { workerData: threadEntry.workerData } : {}),
    });
    const poolThread: PoolThread = {
      index,
      thread,
      pending: new Map(),
      outbox: [],
      outboxByKey: new Map(),
      knownFunctions: new Set(),
      failure: null,
    };
    thread.on('message', (outcomes: ThreadOutcome[]) => {
      for (const outcome of outcomes) {
        const job = poolThread.pending.get(outcome.id);
        if (!job) continue;
        poolThread.pending.delete(outcome.id);
        job.resolve(outcome);
      }
      startHead(poolThread);
    });
    thread.on('error', (error) => (poolThread.failure = error));
    thread.on('exit', () => {
      if (this.closing) return;
      this.threads[index] = this.spawn(index);
      for (const [id, job] of poolThread.pending)
        job.resolve(threadDied(id, job.start, poolThread.failure, this.heapLimitMb));
    });
    thread.unref();
    return poolThread;
  }
}

/** Tells the job now first in line that it runs. */
function startHead(poolThread: PoolThread): void {
  const head = poolThread.pending.values().next().value;
  if (!head?.onStart) return;
  const onStart = head.onStart;
  head.onStart = null;
  onStart(poolThread.index);
}

function threadDied(
  id: number,
  start: number,
  failure: Error | null,
  heapLimitMb: number | null,
): ThreadOutcome {
  const outOfMemory = (failure as NodeJS.ErrnoException | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
  const message = outOfMemory
    ? `the task ran out of memory: each thread may use ${heapLimitMb} MiB (the worker's memory limit divided by its threads); raise --memory-limit or use fewer threads`
    : `the thread running the task died: ${failure?.message ?? 'it exited'}`;
  return {
    id,
    ok: false,
    error: {
      name: outOfMemory ? 'OutOfMemoryError' : 'ThreadDiedError',
      message,
      stack: failure?.stack ?? '',
    },
    start,
    stop: Date.now(),
  };
}
