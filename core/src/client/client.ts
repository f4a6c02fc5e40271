// About 400 lines: the client's connection, futures' key states and result fetching are one
// object's state; submitting (submitter.ts), map streams, graphs and errors live beside it.
import { randomBytes } from 'node:crypto';
import { createLogger } from '../logger.js';
import { decodeValue, encodeValue } from '../protocol/codec.js';
import { PROTOCOL_VERSION } from '../protocol/close-codes.js';
import type { Connection } from '../protocol/connection.js';
import type { ClientToScheduler, SchedulerToClient } from '../protocol/operations.js';
import { DataFetcher } from '../protocol/data-fetcher.js';
import { openConnection } from '../protocol/handshake.js';
import { loadTls } from '../protocol/tls.js';
import type { FunctionDefinition, RemoteError, TaskEvent, TaskOptionsWire } from '../protocol/messages.js';
import type { SchedulerStatus } from '../scheduler/status.js';
import { resolveTarget, type ConnectTarget } from './connect-target.js';
import { CancelledError, RemoteTaskError, SchedulerLostError } from './errors.js';
import { Future, type FutureOwner, type FutureStatus } from './future.js';
import { KeyState } from './key-state.js';
import { TaskSubmitter } from './submitter.js';

const log = createLogger('client');

/** A settled future from {@link Client.asCompleted}, with its position in the list given. */
export interface Completed<T> {
  future: Future<T>;
  index: number;
}

/** Options of {@link Client.connect}. */
export interface ClientOptions {
  /** Shown in scheduler logs. */
  name?: string;
  timeoutMs?: number;
  /**
   * For a wss:// scheduler: the certificate authority file (PEM) its certificate and its workers'
   * are checked against. A scheduler file or a cluster supplies it themselves.
   */
  tlsCa?: string;
}

/**
 * A connection to a scheduler: submit tasks, get futures, gather results.
 *
 * ```ts
 * const client = await Client.connect(cluster);         // or 'ws://host:port?token=…', { schedulerFile }
 * const futures = client.map((x: number) => x * x, [1, 2, 3]);
 * console.log(await client.gather(futures));            // [1, 4, 9]
 * ```
 */
export class Client extends TaskSubmitter implements FutureOwner {
  readonly address: string;
  /** A prefix that makes keys of impure submissions unique to this client. */
  readonly uniquePrefix = randomBytes(4).toString('hex');
  private readonly keys = new Map<string, KeyState>();
  private readonly workers = new Map<number, string>();
  private readonly functionIds = new Map<string, number>();
  private readonly optionIds = new Map<string, number>();
  private readonly requests = new Map<number, (value: unknown) => void>();
  private readonly streamListeners = new Set<(events: TaskEvent[]) => void>();
  private readonly fetcher: DataFetcher;
  private nextId = 1;
  private counter = 0;
  private closedReason: string | null = null;

  private constructor(
    private readonly connection: Connection<SchedulerToClient, ClientToScheduler>,
    address: string,
    token: string,
    ca: Buffer | null,
  ) {
    super();
    this.address = address;
    this.fetcher = new DataFetcher(token, 'client', ca);
    connection.on('close', (_code: number, reason: string) => this.lost(reason || 'connection closed'));
    connection.start((op) => this.handle(op));
  }

  /** Connects to a scheduler through an address, a scheduler file, or a cluster. */
  static async connect(target: ConnectTarget, options: ClientOptions = {}): Promise<Client> {
    const { address, token, tlsCa } = await resolveTarget(target);
    const caPath = options.tlsCa ?? tlsCa;
    const ca = caPath ? loadTls({ ca: caPath }, 'tlsCa').ca : null;
    const { connection } = await openConnection(
      address,
      { role: 'client', protocol: PROTOCOL_VERSION, token, name: options.name ?? `client-${process.pid}` },
      { timeoutMs: options.timeoutMs ?? 10_000, ca },
    );
    return new Client(connection.as(), address, token, ca);
  }

  protected override get client(): Client {
    return this;
  }

  /** Fetches values for `futures`, in order; throws the first task error. */
  async gather<T>(
    futures: readonly Future<T>[],
    options: { onProgress?: (done: number, total: number) => void } = {},
  ): Promise<T[]> {
    if (options.onProgress) void this.wait(futures, { onProgress: options.onProgress });
    return Promise.all(futures.map((f) => f.result()));
  }

  /**
   * Resolves when every future has settled (finished, erred or cancelled), without fetching values.
   * `onProgress` is called as they settle, at most every 100 ms and once at the end.
   */
  async wait(
    futures: readonly Future[],
    options: { onProgress?: (done: number, total: number) => void } = {},
  ): Promise<void> {
    let done = 0;
    let last = 0;
    const report = options.onProgress;
    await Promise.all(
      futures.map((f) =>
        f.settled().then(() => {
          done++;
          const now = Date.now();
          if (report && (now - last >= 100 || done === futures.length)) {
            last = now;
            report(done, futures.length);
          }
        }),
      ),
    );
  }

  /**
   * Yields the futures in the order they settle, with their position in `futures`:
   * `for await (const { future, index } of client.asCompleted(futures))`.
   *
   * #### Notes
   * Each future comes wrapped in an object: `for await` would otherwise treat the future as a
   * promise (it is awaitable) and TypeScript would type the loop variable as the value.
   */
  asCompleted<T>(futures: readonly Future<T>[]): AsyncIterableIterator<Completed<T>> {
    const ready: Completed<T>[] = [];
    const takers: Array<(result: IteratorResult<Completed<T>>) => void> = [];
    let remaining = futures.length;
    futures.forEach((future, index) => {
      void future.settled().then(() => {
        const taker = takers.shift();
        if (taker) taker({ value: { future, index }, done: false });
        else ready.push({ future, index });
      });
    });
    const iterator: AsyncIterableIterator<Completed<T>> = {
      next: () => {
        if (remaining === 0) return Promise.resolve({ value: undefined, done: true });
        remaining--;
        const next = ready.shift();
        if (next) return Promise.resolve({ value: next, done: false });
        return new Promise((resolve) => takers.push(resolve));
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Cancels tasks that have not finished, and their dependents. */
  cancel(futures: readonly Future[]): void {
    this.cancelKeys(futures.map((f) => f.key));
  }

  /** Puts values on workers; returns futures for them (to pass to tasks). */
  async scatter<T>(values: readonly T[]): Promise<Future<T>[]> {
    const entries = values.map((value) => {
      const { bytes } = encodeValue(value);
      return [`scatter-${this.hashKey('scatter', bytes)}`, bytes] as [string, Uint8Array];
    });
    const futures = entries.map(([key]) => this.futureFor<T>(key));
    await this.request((id) => [
      'scatter',
      id,
      entries,
      this.optionsId({ resources: null, pool: null, retries: 0 }),
    ]);
    return futures;
  }

  /** Task-stream events recorded since sequence number `since`, and the next sequence number. */
  getTaskStream(since = 0, limit?: number): Promise<{ events: TaskEvent[]; next: number }> {
    return this.request((id) => ['task-stream', id, since, limit ?? 0]) as Promise<{
      events: TaskEvent[];
      next: number;
    }>;
  }

  /** Calls `listener` with batches of task-stream events until the returned function is called. */
  subscribeTaskStream(listener: (events: TaskEvent[]) => void): () => void {
    if (this.streamListeners.size === 0) this.connection.send(['subscribe', 'task-stream']);
    this.streamListeners.add(listener);
    return () => {
      this.streamListeners.delete(listener);
      if (this.streamListeners.size === 0) this.connection.send(['unsubscribe', 'task-stream']);
    };
  }

  /** The scheduler's status: workers, tasks by state and group, throughput. */
  status(): Promise<SchedulerStatus> {
    return this.request((id) => ['status', id]) as Promise<SchedulerStatus>;
  }

  /**
   * How a notebook shows the client as a cell's value (Deno's Jupyter kernel calls this): the
   * scheduler's address and whether the connection is open, never the token.
   */
  [Symbol.for('Jupyter.display')](): Record<string, string> {
    const state = this.closedReason === null ? 'connected' : `closed (${this.closedReason})`;
    const text = `Client(${this.address}, ${state})`;
    const escape = (v: string): string =>
      v.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
    return {
      'text/plain': text,
      'text/html': `<b>Drover client</b> <code>${escape(this.address)}</code> ${escape(state)}`,
    };
  }

  /** Closes the connection; the scheduler forgets this client's tasks. */
  async close(): Promise<void> {
    this.fetcher.close();
    this.connection.close(1000, 'client closed');
    this.lost('client closed');
  }

  // ---- FutureOwner -------------------------------------------------------------------------

  resultOf(key: string): Promise<unknown> {
    const state = this.keys.get(key);
    if (!state) return Promise.reject(new Error(`unknown key '${key}'`));
    if (state.hasValue) return Promise.resolve(state.value);
    if (state.status === 'error') return Promise.reject(new RemoteTaskError(key, state.error!));
    if (state.status === 'cancelled') return Promise.reject(new CancelledError(key));
    if (this.closedReason)
      return Promise.reject(new SchedulerLostError(`no result for '${key}': ${this.closedReason}`));
    return new Promise((resolve, reject) => {
      (state.valueWaiters ??= []).push({ resolve, reject });
      if (state.status === 'finished') this.fetch(key, state);
    });
  }

  statusOf(key: string): FutureStatus {
    return this.keys.get(key)?.status ?? 'cancelled';
  }

  settled(key: string): Promise<void> {
    const state = this.keys.get(key);
    if (!state || state.isSettled || this.closedReason) return Promise.resolve();
    return new Promise((resolve) => (state.settleWaiters ??= []).push(resolve));
  }

  cancelKeys(keys: string[]): void {
    this.connection.send(['cancel', keys]);
  }

  releaseKey(key: string): void {
    const state = this.keys.get(key);
    if (!state || --state.references > 0) return;
    this.keys.delete(key);
    if (!this.closedReason) this.connection.send(['release', key]);
  }

  // ---- used by TaskSubmitter ---------------------------------------------------------------

  /** @internal */
  functionId(definition: FunctionDefinition): number {
    const signature = JSON.stringify(definition);
    let id = this.functionIds.get(signature);
    if (id === undefined) {
      id = this.nextId++;
      this.functionIds.set(signature, id);
      this.connection.send(['fn', id, definition]);
    }
    return id;
  }

  /** @internal */
  optionsId(options: TaskOptionsWire): number {
    const signature = JSON.stringify(options);
    let id = this.optionIds.get(signature);
    if (id === undefined) {
      id = this.nextId++;
      this.optionIds.set(signature, id);
      this.connection.send(['opts', id, options]);
    }
    return id;
  }

  /** @internal A key no other submission of this client will use. */
  uniqueKey(name: string): string {
    return `${name}-${this.uniquePrefix}${(this.counter++).toString(36)}`;
  }

  /** @internal */
  sendSubmit(
    key: string,
    fnId: number,
    args: Uint8Array,
    deps: string[],
    optionsId: number,
    priority: number,
  ): void {
    if (this.closedReason) throw new SchedulerLostError(`cannot submit: ${this.closedReason}`);
    this.connection.send(['submit', key, fnId, args, deps.length > 0 ? deps : null, optionsId, priority]);
  }

  /** @internal A new future for `key`, counting the reference. */
  futureFor<T>(key: string): Future<T> {
    let state = this.keys.get(key);
    if (!state) {
      state = new KeyState();
      this.keys.set(key, state);
    }
    state.references++;
    return new Future<T>(key, this);
  }

  // ---- internals ---------------------------------------------------------------------------

  private handle(op: SchedulerToClient): void {
    switch (op[0]) {
      case 'memory': {
        const state = this.keys.get(op[1]);
        if (!state) return;
        state.status = 'finished';
        state.workerId = op[2] as number;
        state.generation++;
        state.wakeSettled();
        if (state.valueWaiters && !state.hasValue) this.fetch(op[1], state);
        return;
      }
      case 'worker':
        this.workers.set(op[1], op[2]);
        return;
      case 'erred': {
        const state = this.keys.get(op[1]);
        if (!state) return;
        state.status = 'error';
        state.error = op[2] as RemoteError;
        state.wakeSettled();
        state.rejectValue(new RemoteTaskError(op[1], state.error));
        return;
      }
      case 'cancelled': {
        const state = this.keys.get(op[1]);
        if (!state) return;
        state.status = 'cancelled';
        state.wakeSettled();
        state.rejectValue(new CancelledError(op[1]));
        return;
      }
      case 'reply': {
        const resolve = this.requests.get(op[1]);
        this.requests.delete(op[1]);
        resolve?.(op[2]);
        return;
      }
      case 'events':
        for (const listener of this.streamListeners) listener(op[1]);
        return;
      default:
        log.warn(`unknown operation '${op[0]}' from the scheduler`);
    }
  }

  /** Gets a result from the worker holding it, or through the scheduler when that worker is unreachable. */
  private fetch(key: string, state: KeyState): void {
    if (state.fetching) return;
    state.fetching = true;
    const generation = state.generation;
    const address = this.workers.get(state.workerId!);
    const direct = address ? this.fetcher.get(address, [key]) : Promise.reject(new Error('unknown worker'));
    direct
      .catch(() => this.request((id) => ['fetch', id, [key]]) as Promise<Array<[string, Uint8Array | null]>>)
      .then(
        (entries) => {
          state.fetching = false;
          const bytes = entries[0]?.[1];
          if (bytes) state.resolveValue(decodeValue(bytes));
          // The result moved (recomputed or handed over) while this fetch ran: ask where it is now.
          else if (state.generation !== generation) this.fetch(key, state);
          // Not there any more: the scheduler is recomputing it and will say `memory` again.
          else if (state.status === 'finished') state.status = 'pending';
        },
        (error: unknown) => {
          state.fetching = false;
          state.rejectValue(error);
        },
      );
  }

  /** Sends the request `make` builds with a fresh id; resolves with the scheduler's `reply`. */
  private request(make: (id: number) => ClientToScheduler): Promise<unknown> {
    if (this.closedReason) return Promise.reject(new SchedulerLostError(this.closedReason));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.requests.set(id, resolve);
      this.connection.send(make(id));
    });
  }

  private hashKey(name: string, bytes: Uint8Array): string {
    return super.hash(name, bytes);
  }

  private lost(reason: string): void {
    if (this.closedReason) return;
    this.closedReason =
      reason === 'client closed' ? 'the client was closed' : `lost the scheduler: ${reason}`;
    const error = new SchedulerLostError(this.closedReason);
    for (const state of this.keys.values()) {
      state.rejectValue(error);
      state.wakeSettled();
    }
    for (const resolve of this.requests.values()) resolve(Promise.reject(error));
    this.requests.clear();
    this.fetcher.close();
  }
}
