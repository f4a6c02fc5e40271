import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../logger.js';
import { CloseCode } from '../protocol/close-codes.js';
import type { Connection } from '../protocol/connection.js';
import { DEFAULT_MAX_PAYLOAD } from '../protocol/handshake.js';
import { SocketGate } from '../protocol/socket-gate.js';
import type { DepartureReason, Hello, TaskEvent, TaskOutcome } from '../protocol/messages.js';
import {
  createServer,
  loadTls,
  schemes,
  TlsConfigError,
  type TlsFiles,
  type TlsMaterial,
} from '../protocol/tls.js';
import { ClientRecord } from './client-record.js';
import { ClientHandlers } from './client-handlers.js';
import type { SchedulerState } from './scheduler-state.js';
import { FunctionTable } from './function-table.js';
import { handleHttp } from './http.js';
import { chooseWorker, fitsNow } from './placement.js';
import { writeSchedulerFile } from './scheduler-file.js';
import { buildStatus, type SchedulerStatus } from './status.js';
import { TaskGraph } from './task-graph.js';
import type { TaskRecord } from './task-record.js';
import { TaskStream } from './task-stream.js';
import { ThroughputMeter } from './throughput.js';
import { WorkerHandlers } from './worker-handlers.js';
import { WorkerRecord, type DepartedWorker } from './worker-record.js';
import { parseWorkerIdentity } from './worker-identity.js';

const log = createLogger('scheduler');

/** Options of {@link Scheduler.start}; every field has a default. */
export interface SchedulerOptions {
  /** Interface to bind. Default 127.0.0.1 (local only); HPC clusters bind the workers' network. */
  host?: string;
  /** Port for WebSocket and HTTP together; 0 picks a free one. */
  port?: number;
  /** Shared secret every connection presents; random by default. */
  token?: string;
  /** Where to write the scheduler file (mode 0600). */
  schedulerFile?: string;
  /** A worker silent for this long is removed. Default 30 s. */
  heartbeatTimeoutMs?: number;
  /** Times a task may be executing on a worker that dies before it errs. Default 3. */
  allowedCrashes?: number;
  /** Largest WebSocket message accepted, bytes. */
  maxPayload?: number;
  /** Task-stream events kept. Default 100,000. */
  taskStreamCapacity?: number;
  /**
   * Serve wss:// and https:// with this certificate and key. `ca` is written to the scheduler file
   * so clients that connect through it trust the certificate.
   */
  tls?: TlsFiles;
}

/**
 * The scheduler: holds tasks, workers and clients, places tasks, recovers from lost workers, and
 * serves the WebSocket protocol and HTTP status on one port.
 *
 * #### Notes
 * Emits `worker-added` (WorkerRecord), `worker-removed` (DepartedWorker) and `closing` when
 * {@link close} begins.
 */
export class Scheduler extends EventEmitter implements SchedulerState {
  readonly id = randomUUID();
  readonly startedAt = Date.now();
  readonly taskStream: TaskStream;
  readonly throughput = new ThroughputMeter();
  readonly workers = new Map<number, WorkerRecord>();
  readonly clients = new Map<number, ClientRecord>();
  readonly departed: DepartedWorker[] = [];
  readonly graph: TaskGraph;
  readonly functions = new FunctionTable();
  address = '';
  httpUrl = '';
  /** The certificate files when serving TLS. */
  readonly tls: TlsMaterial | null;
  private readonly http: HttpServer;
  private readonly sockets: SocketGate;
  readonly clientHandlers: ClientHandlers;
  private readonly workerHandlers: WorkerHandlers;
  private nextId = 1;
  private scheduling = false;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    readonly token: string,
    private readonly options: SchedulerOptions,
  ) {
    super();
    this.taskStream = new TaskStream(options.taskStreamCapacity ?? 100_000);
    this.graph = new TaskGraph(
      {
        inMemory: (task) => this.clientHandlers.notifyMemory(task),
        erred: (task) => this.clientHandlers.notify(task, ['erred', task.key, task.error!]),
        cancelled: (task) => this.clientHandlers.notify(task, ['cancelled', task.key]),
        free: (worker, key) => worker.connection.send(['free', key]),
        abort: (worker, key) => worker.connection.send(['abort', key]),
        ready: () => this.requestScheduling(),
      },
      options.allowedCrashes ?? 3,
    );
    this.clientHandlers = new ClientHandlers(this);
    this.workerHandlers = new WorkerHandlers(this, (worker, fetchId, entries) =>
      this.clientHandlers.data(worker, fetchId, entries),
    );
    this.tls = options.tls ? loadTls(options.tls) : null;
    if (this.tls && !this.tls.cert) {
      throw new TlsConfigError('tls.cert', 'a scheduler serving TLS needs its certificate and key');
    }
    this.http = createServer(this.tls, (request, response) => handleHttp(this, request, response));
    this.sockets = new SocketGate({
      token: this.token,
      roles: ['client', 'worker', 'monitor'],
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
    });
    this.http.on('upgrade', (request, socket, head) =>
      this.sockets.handleUpgrade(request, socket, head, (connection, hello) =>
        this.accepted(connection, hello),
      ),
    );
  }

  /** Starts a scheduler and resolves once it listens. */
  static async start(options: SchedulerOptions = {}): Promise<Scheduler> {
    const scheduler = new Scheduler(options.token ?? randomBytes(24).toString('base64url'), options);
    await scheduler.listen();
    return scheduler;
  }

  private async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, host, () => resolve());
    });
    const { port } = this.http.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    const scheme = schemes(this.tls);
    this.address = `${scheme.socket}://${shownHost}:${port}`;
    this.httpUrl = `${scheme.http}://${shownHost}:${port}`;
    this.heartbeatTimer = setInterval(() => this.checkHeartbeats(), 1000);
    this.heartbeatTimer.unref();
    if (this.options.schedulerFile) {
      await writeSchedulerFile(this.options.schedulerFile, {
        address: this.address,
        token: this.token,
        id: this.id,
        started: new Date(this.startedAt).toISOString(),
        dashboard: `${this.httpUrl}/status`,
        pid: process.pid,
        ...(this.tls?.caPath ? { tlsCa: this.tls.caPath } : {}),
      });
    }
    log.info(`listening on ${this.address}`);
  }

  /** Ready tasks waiting for a worker of `pool`; null: tasks that ask for no pool. */
  queuedFor(pool: string | null): number {
    let count = 0;
    for (const requirement of this.graph.requirements.all) {
      if (requirement.pool === pool) count += this.graph.queues[requirement.id]?.queued ?? 0;
    }
    return count;
  }

  /** Tasks queued or running: the work adaptive scaling sizes a cluster for. */
  activeTaskCount(): number {
    const counts = this.graph.countByState();
    return counts.queued + counts.processing;
  }

  /** A snapshot for the status page, the CLI and front-ends. */
  status(): SchedulerStatus {
    return buildStatus(this);
  }

  /** Records a task-stream event for `task`. */
  recordEvent(
    task: TaskRecord,
    worker: WorkerRecord,
    slot: number,
    start: number,
    stop: number,
    outcome: TaskOutcome,
  ): void {
    const event: TaskEvent = {
      key: task.key,
      group: task.group.name,
      worker: worker.name,
      slot,
      start,
      stop,
      outcome,
    };
    this.taskStream.record(event);
  }

  /** Runs placement at the end of this turn (once, however many tasks became ready). */
  requestScheduling(): void {
    if (this.scheduling || this.closed) return;
    this.scheduling = true;
    setImmediate(() => {
      this.scheduling = false;
      this.schedule();
    });
  }

  private schedule(): void {
    const now = Date.now();
    const workers = [...this.workers.values()];
    if (workers.length === 0) return;
    for (const queue of this.graph.queues) {
      if (!queue) continue;
      for (let task = queue.peek(); task; task = queue.peek()) {
        const worker = chooseWorker(task, workers, now);
        if (!worker) break;
        queue.pop();
        this.graph.assign(task, worker);
        this.workerHandlers.sendCompute(task, worker);
        this.assignDependentsAhead(task, worker, now);
      }
    }
  }

  /**
   * Sends along the dependents of a task just assigned that wait only for tasks processing on the
   * same worker (a chain, or the next level of a reduction whose inputs are all there). The worker
   * runs each as soon as its inputs are done, so a dependent chain costs no scheduler round trips.
   */
  private assignDependentsAhead(first: TaskRecord, worker: WorkerRecord, now: number): void {
    const stack = [first];
    while (stack.length > 0) {
      const task = stack.pop()!;
      for (const dependent of task.dependents ?? []) {
        if (dependent.state !== 'waiting' || !fitsNow(dependent, worker, now)) continue;
        const ready = dependent.deps!.every(
          (dep) => dep.state === 'memory' || (dep.state === 'processing' && dep.worker === worker),
        );
        if (!ready) continue;
        this.graph.assignAhead(dependent, worker);
        this.workerHandlers.sendCompute(dependent, worker);
        stack.push(dependent);
      }
    }
  }

  /**
   * Asks workers to leave on purpose (scale-down): they stop taking tasks, give back what they had
   * not started, hand their results to other workers, and go. Nothing they lose spends a retry.
   * Resolves once they are gone.
   */
  retireWorkers(workers: WorkerRecord[], reason: DepartureReason = 'scaled-down'): Promise<void> {
    return this.workerHandlers.retire(workers, reason);
  }

  /**
   * How many of `candidates` (idle workers, in the order they would go) can leave without losing a
   * result a client or a pending task still needs: all of them when some other running worker can
   * take their results, else all but one.
   */
  retirableCount(candidates: WorkerRecord[]): number {
    const leaving = new Set(candidates);
    const recipients = [...this.workers.values()].some((w) => w.status === 'running' && !leaving.has(w));
    const holdsNeeded = candidates.some((w) =>
      [...w.holding].some((t) => t.clients !== null || t.pendingDependents > 0),
    );
    return recipients || !holdsNeeded ? candidates.length : Math.max(0, candidates.length - 1);
  }

  /** Removes a worker and recovers its tasks; called when its connection ends or it goes silent. */
  removeWorker(worker: WorkerRecord, reason: DepartureReason): void {
    if (this.workers.get(worker.id) !== worker) return;
    this.workers.delete(worker.id);
    const departure = worker.plannedDeparture ?? reason;
    const executing = this.graph.workerLeft(worker, worker.plannedDeparture, worker.identity.memoryLimit);
    const now = Date.now();
    for (const task of executing) this.recordEvent(task, worker, -1, now, now, 'lost');
    const record: DepartedWorker = {
      name: worker.name,
      dataAddress: worker.identity.dataAddress,
      jobId: worker.identity.jobId,
      reason: departure,
      joinedAt: worker.joinedAt,
      leftAt: now,
      lostTasks: executing.length,
    };
    this.departed.push(record);
    if (this.departed.length > 1000) this.departed.shift();
    this.workerHandlers.workerGone(worker);
    this.clientHandlers.workerGone(worker);
    worker.connection.close(CloseCode.normal, departure);
    log.info(`worker ${worker.name} left: ${departure}, ${executing.length} running tasks requeued`);
    this.emit('worker-removed', record);
    this.requestScheduling();
  }

  /** Stops accepting work, closes every connection and the port. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.emit('closing');
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.taskStream.close();
    for (const worker of this.workers.values()) {
      worker.plannedDeparture = 'scheduler-shutdown';
      worker.connection.close(CloseCode.shutdown, 'scheduler shutting down');
    }
    for (const client of this.clients.values())
      client.connection.close(CloseCode.shutdown, 'scheduler shutting down');
    for (const ws of this.sockets.clients) ws.terminate();
    this.sockets.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private accepted(connection: Connection, hello: Hello): void {
    if (this.closed) {
      connection.close(CloseCode.shutdown, 'scheduler shutting down');
      return;
    }
    const id = this.nextId++;
    if (hello.role === 'worker') {
      let identity;
      try {
        identity = parseWorkerIdentity(hello.worker);
      } catch (error) {
        connection.close(CloseCode.malformed, `bad worker hello: ${(error as Error).message}`);
        return;
      }
      const worker = new WorkerRecord(id, identity, connection.as());
      this.workers.set(id, worker);
      connection.on('close', () => this.removeWorker(worker, 'connection-lost'));
      worker.connection.start((op) => this.workerHandlers.handle(worker, op));
      worker.connection.send(['welcome', { id, schedulerId: this.id }]);
      connection.startKeepalive(15_000);
      log.info(`worker ${identity.name} joined from ${identity.host} (${identity.nthreads} slots)`);
      this.clientHandlers.workerJoined();
      this.emit('worker-added', worker);
      this.requestScheduling();
      return;
    }
    const client = new ClientRecord(id, hello.name ?? `client-${id}`, connection.as());
    this.clients.set(id, client);
    connection.on('close', () => {
      this.clients.delete(id);
      this.clientHandlers.clientGone(client);
    });
    client.connection.start((op) => this.clientHandlers.handle(client, op));
    client.connection.send(['welcome', { id, schedulerId: this.id }]);
    connection.startKeepalive(15_000);
  }

  private checkHeartbeats(): void {
    const limit = this.options.heartbeatTimeoutMs ?? 30_000;
    const now = Date.now();
    for (const worker of [...this.workers.values()]) {
      if (now - worker.lastSeen > limit) {
        log.warn(`worker ${worker.name} sent nothing for ${now - worker.lastSeen} ms; removing it`);
        this.removeWorker(worker, 'heartbeat-timeout');
      }
    }
  }
}
