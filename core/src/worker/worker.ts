// Over 400 lines on purpose: one worker's task state machine (accept, fetch inputs, wait, run, store,
// hand back, retire, leave) shares one queue, slot table and store, and splitting it would pass that
// state between files; the separable parts already live beside it (thread-pool, command-task,
// data-server, data-store, process-group).
import { hostname } from 'node:os';
import { createLogger } from '../logger.js';
import { decodeValue, encodeValue } from '../protocol/codec.js';
import { CloseCode, PROTOCOL_VERSION } from '../protocol/close-codes.js';
import type { Connection } from '../protocol/connection.js';
import type { SchedulerToWorker, WorkerToScheduler } from '../protocol/operations.js';
import { DataFetcher } from '../protocol/data-fetcher.js';
import { openConnection } from '../protocol/handshake.js';
import type { TlsMaterial } from '../protocol/tls.js';
import type {
  DepartureReason,
  FunctionDefinition,
  RemoteError,
  WorkerIdentity,
} from '../protocol/messages.js';
import { runCommand, validateCommandSpec } from './command-task.js';
import { DataServer } from './data-server.js';
import { DataStore } from './data-store.js';
import { batchJobId } from './job-id.js';
import { LocalResources } from './local-resources.js';
import { CpuMeter } from './metrics.js';
import { addressFacing } from './reachable-host.js';
import { serializeError } from './serialize-error.js';
import { ThreadPool } from './thread-pool.js';
import type { ThreadOutcome } from './thread-messages.js';
import {
  defaultWorkerName,
  memoryThresholds,
  workerTls,
  type MemoryThresholds,
  type WorkerOptions,
} from './worker-options.js';

const log = createLogger('worker');

interface LocalTask {
  key: string;
  fnId: number;
  args: Uint8Array;
  deps: Array<[string, string | null]> | null;
  demand: Record<string, number>;
  /** `waiting`: an input is still being computed here (the task was assigned ahead). */
  state: 'waiting' | 'fetching' | 'ready' | 'running';
  aborted: boolean;
  depValues: Array<[string, Uint8Array]> | null;
  /** Stops the task while it runs (kills the command, or ends the thread running it). */
  stop: (() => void) | null;
}

const DEFAULT_DEMAND = Object.freeze({ cores: 1 });
/** Function tasks known to run shorter than this may queue inside a busy thread. */
const PIPELINE_BELOW_MS = 1000;
/** Tasks known to run shorter than this do not report their start (their finish says it all). */
const SILENT_BELOW_MS = 1;

/**
 * A worker: N slots running function tasks in threads and command tasks as child processes.
 * Results stay here and are served to peers and clients; inputs are fetched from the workers that
 * hold them.
 */
export class Worker {
  readonly identity: WorkerIdentity;
  /** Resolves with the reason once the worker has stopped. */
  readonly closed: Promise<DepartureReason>;
  private connection: Connection<SchedulerToWorker, WorkerToScheduler> | null = null;
  private readonly functions = new Map<number, FunctionDefinition>();
  /** Mean run time per function, ms: decides which tasks may queue inside a thread. */
  private readonly meanDurations = new Map<number, number>();
  private readonly tasks = new Map<string, LocalTask>();
  private queue: LocalTask[] = [];
  /** Tasks waiting for a result being computed here, by that result's key. */
  private readonly awaitingLocal = new Map<string, LocalTask[]>();
  private running = 0;
  private retiring = false;
  private stopping = false;
  private paused = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly cpu = new CpuMeter();
  private readonly thresholds: MemoryThresholds;
  private resolveClosed!: (reason: DepartureReason) => void;

  private constructor(
    private readonly options: WorkerOptions,
    identity: WorkerIdentity,
    private readonly pool: ThreadPool,
    private readonly store: DataStore,
    private readonly dataServer: DataServer,
    private readonly fetcher: DataFetcher,
    private readonly resources: LocalResources,
    private readonly tls: TlsMaterial | null,
  ) {
    this.identity = identity;
    this.thresholds = memoryThresholds(options.memoryThresholds);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** Starts the thread pool and the data server, then joins the scheduler. */
  static async start(options: WorkerOptions): Promise<Worker> {
    const tls = workerTls(options);
    memoryThresholds(options.memoryThresholds); // a bad threshold fails before anything starts
    const nthreads = options.nthreads ?? 1;
    const memoryLimit = options.memoryLimit || null; // 0 means no limit, as in Dask
    const heapLimitMb = memoryLimit ? Math.max(64, Math.floor(memoryLimit / nthreads / 2 ** 20)) : null;
    const pool = new ThreadPool(nthreads, heapLimitMb);
    const store = new DataStore();
    const host = options.host ?? (await addressFacing(options.scheduler));
    const dataServer = await DataServer.start(host, options.token, store, tls);
    const startedAt = Date.now();
    const identity: WorkerIdentity = {
      name: options.name ?? defaultWorkerName(),
      dataAddress: dataServer.address,
      host: hostname(),
      pid: process.pid,
      nthreads,
      resources: {
        cores: nthreads,
        gpus: 0,
        ...(memoryLimit ? { memory: memoryLimit } : {}),
        ...options.resources,
      },
      pools: options.pools ?? [],
      memoryLimit,
      jobId: batchJobId(),
      deadline: options.lifetimeMs ? startedAt + options.lifetimeMs : null,
    };
    const resources = new LocalResources({ memory: Infinity, ...identity.resources }, options.gpuIds);
    const worker = new Worker(
      options,
      identity,
      pool,
      store,
      dataServer,
      new DataFetcher(options.token, 'peer', tls?.ca ?? null),
      resources,
      tls,
    );
    try {
      await worker.connect();
    } catch (error) {
      await worker.release();
      throw error;
    }
    worker.startTimers();
    return worker;
  }

  /** Leaves on its own (SIGTERM): the scheduler requeues its tasks without spending retries. */
  async stop(reason: DepartureReason = 'closed-by-worker'): Promise<void> {
    this.connection?.send(['goodbye', reason]);
    await this.shutdown(reason);
  }

  private async connect(): Promise<void> {
    const { connection } = await openConnection(
      this.options.scheduler,
      { role: 'worker', protocol: PROTOCOL_VERSION, token: this.options.token, worker: this.identity },
      { timeoutMs: this.options.connectTimeoutMs ?? 10_000, ca: this.tls?.ca ?? null },
    );
    const typed = connection.as<SchedulerToWorker, WorkerToScheduler>();
    this.connection = typed;
    typed.on('close', (code: number, reason: string) => this.lostScheduler(code, reason));
    typed.start((op) => this.handle(op));
  }

  private handle(op: SchedulerToWorker): void {
    switch (op[0]) {
      case 'fn':
        this.functions.set(op[1], op[2]);
        return;
      case 'compute':
        return this.accept(op[1], op[2], op[3] as Uint8Array, op[4], op[5]);
      case 'free':
        this.store.delete(op[1]);
        return;
      case 'put':
        this.store.set(op[1], new Uint8Array(op[2]));
        return;
      case 'abort':
        return this.abort(op[1]);
      case 'get-data':
        this.send(['data', op[1], this.store.entries(op[2])]);
        return;
      case 'acquire':
        return this.acquire(op[1], op[2]);
      case 'retire':
        return this.retire(op[1], false);
      case 'close':
        void this.shutdown(op[1] ?? 'scaled-down');
        return;
      default:
        log.warn(`unknown operation '${op[0]}' from the scheduler`);
    }
  }

  private accept(
    key: string,
    fnId: number,
    args: Uint8Array,
    deps: LocalTask['deps'],
    demand: Record<string, number> | null,
  ): void {
    if (this.retiring) {
      this.send(['handback', [key]]);
      return;
    }
    // `args` is a view into the whole received message; copy it so that handing it to a thread
    // (structured clone copies the entire underlying buffer) and keeping it stay cheap.
    const task: LocalTask = {
      key,
      fnId,
      args: new Uint8Array(args),
      deps,
      demand: demand ?? DEFAULT_DEMAND,
      state: 'ready',
      aborted: false,
      depValues: null,
      stop: null,
    };
    this.tasks.set(key, task);
    this.queue.push(task);
    if (deps) this.gatherInputs(task);
    this.pump();
  }

  /**
   * Collects a task's inputs: local ones from the store, others from the workers holding them. An
   * input still being computed here makes the task wait for it.
   */
  private gatherInputs(task: LocalTask): void {
    const values: Array<[string, Uint8Array]> = [];
    const remote = new Map<string, string[]>();
    const computing: string[] = [];
    for (const [depKey, address] of task.deps!) {
      if (address === null) {
        const bytes = this.store.get(depKey);
        if (bytes) values.push([depKey, bytes]);
        else if (this.tasks.has(depKey)) computing.push(depKey);
        else return this.missing(task, depKey);
      } else {
        const keys = remote.get(address) ?? [];
        keys.push(depKey);
        remote.set(address, keys);
      }
    }
    if (computing.length > 0) {
      if (remote.size === 0 && this.chain(task, computing, values)) return;
      task.state = 'waiting';
      for (const depKey of computing) {
        const waiting = this.awaitingLocal.get(depKey) ?? [];
        waiting.push(task);
        this.awaitingLocal.set(depKey, waiting);
      }
      return;
    }
    task.state = 'ready';
    task.depValues = values;
    if (remote.size === 0) return;
    task.state = 'fetching';
    const fetches = [...remote].map(([address, keys]) =>
      this.fetcher.get(address, keys).then(
        (entries) => entries,
        () => keys.map((k): [string, null] => [k, null]),
      ),
    );
    void Promise.all(fetches).then((results) => {
      if (this.tasks.get(task.key) !== task || task.aborted) return;
      for (const [depKey, bytes] of results.flat()) {
        if (!bytes) return this.missing(task, depKey);
        values.push([depKey, new Uint8Array(bytes)]);
      }
      task.state = 'ready';
      this.pump();
    });
  }

  private missing(task: LocalTask, depKey: string): void {
    this.drop(task);
    this.send(['missing', task.key, depKey]);
  }

  /** Starts queued tasks, in order, while they fit. */
  private pump(): void {
    if (this.stopping) return;
    let i = 0;
    while (i < this.queue.length) {
      const task = this.queue[i]!;
      if (task.state !== 'ready') {
        i++;
        continue;
      }
      const definition = this.functions.get(task.fnId);
      const isCommand = definition?.kind === 'command';
      const pipelined =
        !isCommand && task.demand === DEFAULT_DEMAND && this.meanDuration(task.fnId) < PIPELINE_BELOW_MS;
      if (
        pipelined
          ? !this.pool.canQueue
          : !this.resources.fits(task.demand) || (!isCommand && this.pool.idle === 0)
      )
        break;
      this.queue.splice(i, 1);
      this.execute(task, definition, isCommand, pipelined);
    }
  }

  /**
   * Runs a task. Function tasks of one core whose function is known to take under a second queue
   * inside a thread, so the thread starts the next one without a round trip; the rest take their
   * resources here. Every task but the shortest reports its start, which lets the scheduler tell a
   * task that was running when a worker died from one that was only waiting.
   */
  private execute(
    task: LocalTask,
    definition: FunctionDefinition | undefined,
    isCommand: boolean,
    pipelined: boolean,
  ): void {
    task.state = 'running';
    this.running++;
    const startedAt = Date.now();
    let lane = 0;
    let release = (): void => {};
    let outcome: Promise<ThreadOutcome>;
    if (!definition) {
      outcome = Promise.resolve(
        failure(new Error(`function ${task.fnId} was never sent to this worker`), startedAt),
      );
    } else if (isCommand) {
      const taken = this.resources.take(task.demand);
      release = () => this.resources.give(task.demand, taken.lane, taken.gpuIds);
      lane = this.identity.nthreads + taken.lane;
      outcome = this.runCommandTask(task, taken.gpuIds, startedAt);
      this.send(['start', task.key, lane, startedAt]);
    } else {
      let gpus: string[] = [];
      if (!pipelined) {
        const taken = this.resources.take(task.demand);
        gpus = taken.gpuIds;
        release = () => this.resources.give(task.demand, taken.lane, taken.gpuIds);
      }
      const context = { key: task.key, cores: task.demand.cores ?? 1, gpus };
      const onStart = this.startReporter(task);
      const dispatched = this.pool.dispatch(
        task.fnId,
        definition,
        task.args,
        task.depValues,
        context,
        pipelined,
        onStart,
      );
      lane = dispatched.slot;
      outcome = dispatched.outcome;
      task.stop = () => this.pool.cancel(dispatched.slot, dispatched.job);
    }
    this.settle(task, lane, outcome, release, isCommand);
    if (!isCommand) this.revisitWaiting(task.key);
  }

  /**
   * Queues a function task right behind the jobs computing its inputs when they are all still
   * waiting to be sent to one thread: that thread passes the results on itself, so a dependent
   * chain runs back to back. Returns false when that is not possible (the task then waits).
   */
  private chain(task: LocalTask, computing: string[], values: Array<[string, Uint8Array]>): boolean {
    const definition = this.functions.get(task.fnId);
    if (!definition || definition.kind === 'command' || task.demand !== DEFAULT_DEMAND) return false;
    const slot = this.pool.chainableSlot(computing);
    if (slot === null) return false;
    const index = this.queue.indexOf(task);
    if (index >= 0) this.queue.splice(index, 1);
    task.state = 'running';
    this.running++;
    const onStart = this.startReporter(task);
    const context = { key: task.key, cores: 1, gpus: [] };
    const dispatched = this.pool.dispatchChained(
      slot,
      computing,
      task.fnId,
      definition,
      task.args,
      values,
      context,
      onStart,
    );
    task.stop = () => this.pool.cancel(dispatched.slot, dispatched.job);
    this.settle(task, dispatched.slot, dispatched.outcome, () => {}, false);
    this.revisitWaiting(task.key);
    return true;
  }

  /**
   * Tasks waiting for `key` look at their inputs again: it was just handed to a thread (they may be
   * chained behind it) or it finished (it is in the store).
   */
  private revisitWaiting(key: string): void {
    const waiting = this.awaitingLocal.get(key);
    if (!waiting) return;
    this.awaitingLocal.delete(key);
    for (const task of waiting) {
      if (this.tasks.get(task.key) === task && !task.aborted && task.state === 'waiting')
        this.gatherInputs(task);
    }
  }

  /** Sends `start` when the task starts, except for tasks known to be very short. */
  private startReporter(task: LocalTask): ((slot: number) => void) | null {
    if (this.meanDuration(task.fnId) < SILENT_BELOW_MS) return null;
    return (slot) => this.send(['start', task.key, slot, Date.now()]);
  }

  /** What happens when a task's outcome arrives: resources back, result stored and reported, next tasks. */
  private settle(
    task: LocalTask,
    lane: number,
    outcome: Promise<ThreadOutcome>,
    release: () => void,
    isCommand: boolean,
  ): void {
    void outcome.then((result) => {
      release();
      this.running--;
      if (!isCommand) this.recordDuration(task.fnId, result.stop - result.start);
      this.finish(task, lane, result);
      this.pump();
      if (this.retiring && this.running === 0) this.send(['drained']);
    });
  }

  /** Mean run time of a function here, ms; Infinity before its first run. */
  private meanDuration(fnId: number): number {
    return this.meanDurations.get(fnId) ?? Infinity;
  }

  private recordDuration(fnId: number, ms: number): void {
    const mean = this.meanDurations.get(fnId);
    this.meanDurations.set(fnId, mean === undefined ? ms : mean + (ms - mean) / 8);
  }

  private async runCommandTask(task: LocalTask, gpuIds: string[], startedAt: number): Promise<ThreadOutcome> {
    const controller = new AbortController();
    task.stop = () => controller.abort();
    try {
      const [raw] = decodeValue(task.args) as unknown[];
      const spec = validateCommandSpec(raw);
      const result = await runCommand(spec, { cores: task.demand.cores ?? 1, gpuIds }, controller.signal);
      return { id: 0, ok: true, bytes: encodeValue(result).bytes, start: startedAt, stop: Date.now() };
    } catch (error) {
      return failure(error, startedAt);
    }
  }

  private finish(task: LocalTask, lane: number, outcome: ThreadOutcome): void {
    if (task.aborted || this.tasks.get(task.key) !== task) return;
    this.tasks.delete(task.key);
    if (outcome.ok) {
      this.store.set(task.key, outcome.bytes);
      this.send(['done', task.key, lane, outcome.start, outcome.stop, outcome.bytes.length]);
      this.revisitWaiting(task.key);
    } else if (outcome.error.name === 'MissingInputError') {
      // A chained input failed on this thread; the scheduler decides what happens to both.
      this.send(['missing', task.key, outcome.error.detail!.input as string]);
    } else {
      this.send(['error', task.key, lane, outcome.start, outcome.stop, outcome.error]);
    }
  }

  private abort(key: string): void {
    const task = this.tasks.get(key);
    if (!task) return;
    task.aborted = true;
    task.stop?.();
    if (task.state !== 'running') this.drop(task);
    else this.tasks.delete(key);
  }

  private drop(task: LocalTask): void {
    this.tasks.delete(task.key);
    const index = this.queue.indexOf(task);
    if (index >= 0) this.queue.splice(index, 1);
  }

  private acquire(key: string, address: string): void {
    this.fetcher.get(address, [key]).then(
      ([[, bytes] = [key, null]]) => {
        if (bytes) this.store.set(key, new Uint8Array(bytes));
        this.send(['acquired', key, bytes !== null]);
      },
      () => this.send(['acquired', key, false]),
    );
  }

  /** Stops taking tasks, gives back those not started, and says when the running ones are done. */
  private retire(reason: DepartureReason, initiatedHere: boolean): void {
    if (this.retiring) return;
    this.retiring = true;
    if (initiatedHere) this.send(['retiring', reason]);
    const unstarted = this.queue.map((t) => t.key);
    for (const task of this.queue) this.tasks.delete(task.key);
    this.queue = [];
    if (unstarted.length > 0) this.send(['handback', unstarted]);
    if (this.running === 0) this.send(['drained']);
  }

  private startTimers(): void {
    const heartbeat = setInterval(() => this.heartbeat(), this.options.heartbeatMs ?? 1000);
    this.timers.push(heartbeat);
    const deadline = this.identity.deadline;
    if (deadline !== null) {
      const lifetime = deadline - Date.now();
      const margin = this.options.lifetimeMarginMs ?? Math.min(30_000, lifetime / 10);
      this.timers.push(setTimeout(() => this.retire('lifetime', true), Math.max(0, lifetime - margin)));
      this.timers.push(setTimeout(() => void this.shutdown('lifetime'), lifetime));
    }
  }

  private heartbeat(): void {
    const rss = process.memoryUsage.rss();
    const limit = this.identity.memoryLimit;
    const { pause, restart } = this.thresholds;
    if (limit && restart > 0 && rss > restart * limit) {
      log.warn(
        `memory ${formatMb(rss)} is over ${Math.round(restart * 100)} % of the limit ${formatMb(limit)}: restarting the worker`,
      );
      void this.stop('memory-limit');
      return;
    }
    // Resume 10 points below the pause threshold: a gap so it does not flap.
    if (limit) this.paused = this.paused ? rss > (pause - 0.1) * limit : rss > pause * limit;
    this.send([
      'heartbeat',
      {
        cpu: this.cpu.sample(),
        rss,
        executing: this.running,
        queued: this.queue.length,
        stored: this.store.size,
        storedBytes: this.store.bytes,
        paused: this.paused,
      },
    ]);
  }

  private send(op: WorkerToScheduler): void {
    this.connection?.send(op);
  }

  private lostScheduler(code: number, reason: string): void {
    if (this.stopping) return;
    const planned = code === CloseCode.retired || code === CloseCode.shutdown || code === CloseCode.normal;
    if (!planned) log.warn(`lost the scheduler (${code} ${reason}); stopping`);
    void this.shutdown(planned ? (reason as DepartureReason) || 'scheduler-shutdown' : 'connection-lost');
  }

  private async shutdown(reason: DepartureReason): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const task of this.tasks.values()) task.stop?.();
    this.connection?.close(CloseCode.normal, reason);
    await this.release();
    this.resolveClosed(reason);
  }

  private async release(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.fetcher.close();
    await Promise.all([this.pool.close(), this.dataServer.close()]);
    this.store.clear();
  }
}

function failure(error: unknown, start: number): ThreadOutcome {
  return {
    id: 0,
    ok: false,
    error: serializeError(error) as Omit<RemoteError, 'key'>,
    start,
    stop: Date.now(),
  };
}

function formatMb(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}
