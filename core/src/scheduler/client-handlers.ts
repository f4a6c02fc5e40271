import { CloseCode } from '../protocol/close-codes.js';
import type { ClientToScheduler, SchedulerToClient } from '../protocol/operations.js';
import type { ClientRecord } from './client-record.js';
import { parseFunctionDefinition } from './function-table.js';
import { normalizeResources, STANDARD_RESOURCES } from './requirements.js';
import type { SchedulerState } from './scheduler-state.js';
import type { TaskRecord } from './task-record.js';
import type { WorkerRecord } from './worker-record.js';

/**
 * Operations clients send, and what the scheduler tells them back.
 *
 * Client → scheduler: `fn`, `opts`, `submit`, `release`, `cancel`, `scatter`, `fetch`,
 * `task-stream`, `status`, `subscribe`, `unsubscribe`.
 * Scheduler → client: `worker`, `memory`, `erred`, `cancelled`, `reply`, `events`.
 */
export class ClientHandlers {
  /** Proxied fetches waiting for workers' data, by scheduler-side request id. */
  private readonly fetches = new Map<
    number,
    { client: ClientRecord; requestId: number; waiting: Set<number>; entries: unknown[] }
  >();
  private nextFetchId = 1;
  private readonly unsubscribers = new Map<ClientRecord, () => void>();
  private pendingScatters: Array<() => void> = [];

  constructor(private readonly scheduler: SchedulerState) {}

  handle(client: ClientRecord, op: ClientToScheduler): void {
    const graph = this.scheduler.graph;
    switch (op[0]) {
      case 'submit': {
        const [, key, fnId, args, deps, optionsId, priority] = op as unknown as [
          string,
          string,
          number,
          Uint8Array,
          string[] | null,
          number,
          number,
        ];
        const fn = client.functions.get(fnId);
        const options = client.options.get(optionsId);
        if (!fn || !options || typeof key !== 'string' || !(args instanceof Uint8Array)) {
          throw new Error('submit needs a key, a registered function and options, and argument bytes');
        }
        const task = graph.submit(client, {
          key,
          fn,
          args,
          depKeys: deps,
          options,
          priority: Number(priority) || 0,
        });
        this.checkResources(task);
        return;
      }
      case 'release':
        graph.release(client, op[1]);
        return;
      case 'fn':
        client.functions.set(op[1], this.scheduler.functions.intern(parseFunctionDefinition(op[2])));
        return;
      case 'opts': {
        const raw = (op[2] ?? {}) as {
          resources?: unknown;
          pool?: unknown;
          retries?: unknown;
          timeoutMs?: unknown;
        };
        const pool = typeof raw.pool === 'string' && raw.pool !== '' ? raw.pool : null;
        const retries = typeof raw.retries === 'number' && raw.retries >= 0 ? Math.floor(raw.retries) : 0;
        const timeoutMs =
          typeof raw.timeoutMs === 'number' && raw.timeoutMs >= 1
            ? Math.min(raw.timeoutMs, 2 ** 31 - 1)
            : null;
        client.options.set(op[1], {
          requirement: graph.requirements.get(normalizeResources(raw.resources), pool),
          retries,
          timeoutMs,
        });
        return;
      }
      case 'cancel':
        for (const key of op[1]) graph.cancel(key);
        return;
      case 'scatter':
        return this.scatter(client, op[1], op[2], op[3]);
      case 'fetch':
        return this.fetch(client, op[1], op[2]);
      case 'task-stream': {
        const { events, next } = this.scheduler.taskStream.since(
          Number(op[2]) || 0,
          Number(op[3]) || undefined,
        );
        client.connection.send(['reply', op[1], { events, next }]);
        return;
      }
      case 'status':
        client.connection.send(['reply', op[1], this.scheduler.status()]);
        return;
      case 'subscribe':
        if (op[1] === 'task-stream' && !this.unsubscribers.has(client)) {
          this.unsubscribers.set(
            client,
            this.scheduler.taskStream.subscribe((events) => client.connection.send(['events', events])),
          );
        }
        return;
      case 'unsubscribe':
        this.unsubscribers.get(client)?.();
        this.unsubscribers.delete(client);
        return;
      default:
        client.connection.close(CloseCode.unknownOperation, `unknown operation '${op[0]}'`);
    }
  }

  /** Tells the clients holding `task` where its result is. */
  notifyMemory(task: TaskRecord): void {
    const worker = task.worker!;
    for (const client of task.clients ?? []) {
      if (!client.knownWorkers.has(worker.id)) {
        client.knownWorkers.add(worker.id);
        client.connection.send(['worker', worker.id, worker.identity.dataAddress]);
      }
      client.connection.send(['memory', task.key, worker.id]);
    }
  }

  notify(task: TaskRecord, op: SchedulerToClient): void {
    for (const client of task.clients ?? []) client.connection.send(op);
  }

  /** Data a worker returned for a proxied fetch. */
  data(worker: WorkerRecord, fetchId: number, entries: unknown[]): void {
    const fetch = this.fetches.get(fetchId);
    if (!fetch) return;
    fetch.entries.push(...entries);
    fetch.waiting.delete(worker.id);
    if (fetch.waiting.size === 0) this.finishFetch(fetchId);
  }

  workerJoined(): void {
    const waiting = this.pendingScatters;
    this.pendingScatters = [];
    for (const retry of waiting) retry();
  }

  workerGone(worker: WorkerRecord): void {
    for (const [id, fetch] of this.fetches) {
      if (fetch.waiting.delete(worker.id) && fetch.waiting.size === 0) this.finishFetch(id);
    }
  }

  clientGone(client: ClientRecord): void {
    this.unsubscribers.get(client)?.();
    this.unsubscribers.delete(client);
    this.scheduler.graph.releaseAll(client);
  }

  /** A custom resource no connected worker declares is an error, not an endless wait. */
  private checkResources(task: TaskRecord): void {
    if (task.state !== 'queued' && task.state !== 'waiting') return;
    const workers = [...this.scheduler.workers.values()];
    if (workers.length === 0) return;
    for (const name in task.requirement.resources) {
      if ((STANDARD_RESOURCES as readonly string[]).includes(name)) continue;
      if (workers.some((w) => name in w.capacity)) continue;
      const known = [...new Set(workers.flatMap((w) => Object.keys(w.capacity)))].join(', ');
      this.scheduler.graph.fail(task, {
        name: 'UnknownResourceError',
        message: `task '${task.key}' asks for resource '${name}', which no worker declares (workers have: ${known}); start workers with --resources ${name}=N or fix the name`,
        stack: '',
        key: task.key,
      });
      return;
    }
  }

  private scatter(
    client: ClientRecord,
    requestId: number,
    entries: Array<[string, Uint8Array]>,
    optionsId: number,
  ): void {
    const workers = [...this.scheduler.workers.values()].filter((w) => w.status === 'running');
    const options = client.options.get(optionsId);
    if (!options) throw new Error('scatter needs registered options');
    if (workers.length === 0) {
      this.pendingScatters.push(() => this.scatter(client, requestId, entries, optionsId));
      return;
    }
    entries.forEach(([key, bytes], i) => {
      const worker = workers[i % workers.length]!;
      worker.connection.send(['put', key, bytes]);
      this.scheduler.graph.addScattered(client, key, worker, bytes.length, options);
    });
    client.connection.send(['reply', requestId, null]);
  }

  private fetch(client: ClientRecord, requestId: number, keys: string[]): void {
    const byWorker = new Map<WorkerRecord, string[]>();
    const entries: unknown[] = [];
    for (const key of keys) {
      const task = this.scheduler.graph.tasks.get(key);
      if (task?.state === 'memory' && task.worker) {
        const list = byWorker.get(task.worker) ?? [];
        list.push(key);
        byWorker.set(task.worker, list);
      } else {
        entries.push([key, null]);
      }
    }
    const fetchId = this.nextFetchId++;
    this.fetches.set(fetchId, {
      client,
      requestId,
      waiting: new Set([...byWorker.keys()].map((w) => w.id)),
      entries,
    });
    for (const [worker, list] of byWorker) worker.connection.send(['get-data', fetchId, list]);
    if (byWorker.size === 0) this.finishFetch(fetchId);
  }

  private finishFetch(fetchId: number): void {
    const fetch = this.fetches.get(fetchId)!;
    this.fetches.delete(fetchId);
    fetch.client.connection.send(['reply', fetch.requestId, fetch.entries]);
  }
}
