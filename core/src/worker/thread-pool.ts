import { Worker as Thread } from 'node:worker_threads';
import type { FunctionDefinition } from '../protocol/messages.js';
import type { TaskContext, ThreadJob, ThreadOutcome } from './thread-messages.js';

interface PoolThread {
  thread: Thread;
  job: { id: number; resolve: (outcome: ThreadOutcome) => void; start: number } | null;
  knownFunctions: Set<number>;
}

const ENTRY = new URL('./thread-entry.js', import.meta.url);

/**
 * A fixed set of threads that run function tasks, one task per thread at a time, so CPU-bound tasks
 * never block the worker's event loop (heartbeats, transfers).
 *
 * #### Notes
 * A thread that dies (an uncaught error in a callback, or running out of its heap limit) fails the
 * task it was running with an error that says so, and is replaced.
 */
export class ThreadPool {
  private readonly threads: PoolThread[] = [];
  private nextJob = 1;
  private closing = false;

  constructor(
    size: number,
    /** Heap limit per thread in MiB (memory limit / threads), or null for V8's default. */
    private readonly heapLimitMb: number | null,
  ) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  /** Threads without a task. */
  get idle(): number {
    let n = 0;
    for (const t of this.threads) if (!t.job) n++;
    return n;
  }

  /** Runs a task on an idle thread; call only when {@link idle} > 0. */
  run(
    fnId: number,
    definition: FunctionDefinition,
    args: Uint8Array,
    deps: Array<[string, Uint8Array]> | null,
    context: TaskContext,
  ): Promise<ThreadOutcome> {
    const poolThread = this.threads.find((t) => !t.job);
    if (!poolThread) throw new Error('no idle thread');
    const id = this.nextJob++;
    const firstUse = !poolThread.knownFunctions.has(fnId);
    poolThread.knownFunctions.add(fnId);
    const job: ThreadJob = { id, fnId, definition: firstUse ? definition : null, args, deps, context };
    return new Promise((resolve) => {
      poolThread.job = { id, resolve, start: Date.now() };
      poolThread.thread.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.thread.terminate()));
  }

  private spawn(): PoolThread {
    const resourceLimits = this.heapLimitMb ? { maxOldGenerationSizeMb: this.heapLimitMb } : undefined;
    const thread = new Thread(ENTRY, { resourceLimits, stdout: false, stderr: false });
    const poolThread: PoolThread = { thread, job: null, knownFunctions: new Set() };
    thread.on('message', (outcome: ThreadOutcome) => {
      const job = poolThread.job;
      if (!job || job.id !== outcome.id) return;
      poolThread.job = null;
      job.resolve(outcome);
    });
    let failure: Error | null = null;
    thread.on('error', (error) => (failure = error));
    thread.on('exit', () => {
      if (this.closing) return;
      const job = poolThread.job;
      const index = this.threads.indexOf(poolThread);
      if (index >= 0) this.threads[index] = this.spawn();
      if (job) job.resolve(threadDied(job.id, job.start, failure, this.heapLimitMb));
    });
    thread.unref();
    return poolThread;
  }
}

function threadDied(id: number, start: number, failure: Error | null, heapLimitMb: number | null): ThreadOutcome {
  const outOfMemory = (failure as NodeJS.ErrnoException | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
  const message = outOfMemory
    ? `the task ran out of memory: each thread may use ${heapLimitMb} MiB (the worker's memory limit divided by its threads); raise --memory-limit or use fewer threads`
    : `the thread running the task died: ${failure?.message ?? 'it exited'}`;
  return {
    id,
    ok: false,
    error: { name: outOfMemory ? 'OutOfMemoryError' : 'ThreadDiedError', message, stack: failure?.stack ?? '' },
    start,
    stop: Date.now(),
  };
}
