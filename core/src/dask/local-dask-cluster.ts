import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdaptOptions, Cluster, ClusterStatus, ScaleRequest } from '../cluster/cluster.js';
import { DaskAdaptive } from './dask-adaptive.js';
import type { DaskWorkerInfo } from './dask-http.js';
import { DaskSchedulerProcess, stopChild } from './dask-scheduler-process.js';
import { daskWorkerArgs, visibleDevices, type DaskWorkerShape } from './dask-worker-args.js';
import { defaultPython } from './python.js';
import { ownWorkers, type SharedDaskScheduler } from './shared-scheduler.js';

export interface LocalDaskClusterOptions {
  name?: string;
  /** Worker processes to start with (default 2). */
  workers?: number;
  threadsPerWorker?: number;
  /** Bytes per worker; 0 or null = no limit. */
  memoryLimit?: number | null;
  resources?: Record<string, number>;
  /** The interpreter with python3-distributed (default /usr/bin/python3 where present). */
  python?: string;
  /** Dask's scheduler file at this path (for `Client(scheduler_file=…)`). */
  schedulerFile?: string;
  /** Join another Dask-engine cluster's scheduler instead of starting one. */
  shared?: SharedDaskScheduler;
}

const KNOWN = new Set([
  'name',
  'workers',
  'threadsPerWorker',
  'memoryLimit',
  'resources',
  'python',
  'schedulerFile',
  'shared',
]);

/** How often the scheduler's workers are read for the status (and adaptive sizing). */
const POLL_MS = 1000;

interface WorkerProcess {
  name: string;
  index: number;
  child: ChildProcess;
  /** Asked to stop (scale down or close): its exit is not a failure to replace. */
  retiring: boolean;
}

/**
 * A real Dask cluster on this machine: Debian's `dask_scheduler` and one `dask_worker` process per
 * worker, started, scaled, watched and stopped by Drover. A worker process that dies is replaced.
 */
export class LocalDaskCluster extends EventEmitter implements Cluster {
  readonly kind = 'local';
  readonly engine = 'dask';
  readonly token = '';
  readonly tlsCa: string | null = null;
  private readonly processes = new Map<string, WorkerProcess>();
  private connected: DaskWorkerInfo[] = [];
  private requested: number;
  private nextIndex = 0;
  private state: ClusterStatus['state'] = 'running';
  private readonly poller: NodeJS.Timeout;
  private readonly adaptive = new DaskAdaptive();
  private lastStatus = '';

  private constructor(
    readonly name: string,
    readonly scheduler: DaskSchedulerProcess,
    private readonly shape: DaskWorkerShape,
    private readonly python: string,
    private readonly directory: string,
    workers: number,
    /** False when the workers joined another cluster's scheduler, which that cluster stops. */
    private readonly ownsScheduler: boolean,
  ) {
    super();
    this.requested = workers;
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.poller.unref();
  }

  static async start(options: LocalDaskClusterOptions = {}): Promise<LocalDaskCluster> {
    for (const key of Object.keys(options))
      if (!KNOWN.has(key))
        throw new TypeError(`LocalDaskCluster.start: unknown option "${key}"; use ${[...KNOWN].join(', ')}`);
    const python = options.python ?? defaultPython();
    const directory = mkdtempSync(join(tmpdir(), 'drover-dask-'));
    let scheduler: DaskSchedulerProcess;
    try {
      scheduler =
        options.shared?.scheduler ??
        (await DaskSchedulerProcess.start({
          python,
          host: '127.0.0.1',
          directory,
          ...(options.schedulerFile ? { schedulerFile: options.schedulerFile } : {}),
        }));
    } catch (error) {
      rmSync(directory, { recursive: true, force: true });
      throw error;
    }
    const shape: DaskWorkerShape = {
      threads: options.threadsPerWorker ?? 1,
      memoryLimit: options.memoryLimit ?? null,
      resources: options.resources ?? {},
      deathTimeout: 60,
      ...(options.shared?.tls ? { tls: options.shared.tls } : {}),
    };
    const name = options.name ?? 'local-dask';
    const workers = options.workers ?? 2;
    const cluster = new LocalDaskCluster(name, scheduler, shape, python, directory, workers, !options.shared);
    cluster.reconcile();
    await cluster.waitForWorkers(cluster.requested);
    return cluster;
  }

  get schedulerAddress(): string {
    return this.scheduler.address;
  }

  get schedulerFile(): string {
    return this.scheduler.schedulerFile;
  }

  /** Workers the Dask scheduler has, with their CPU and memory. */
  workers(): DaskWorkerInfo[] {
    return this.connected;
  }

  status(): ClusterStatus {
    return {
      name: this.name,
      kind: 'local',
      state: this.state,
      schedulerAddress: this.scheduler.address,
      dashboardUrl: '',
      workersRequested: this.requested,
      workersConnected: this.connected.length,
      adaptive: this.adaptive.bounds,
    };
  }

  async scale(request: ScaleRequest): Promise<void> {
    const n = typeof request === 'number' ? request : 'workers' in request ? request.workers : NaN;
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(
        `scale: a Dask-engine local cluster scales by workers (a whole number ≥ 0), got ${JSON.stringify(request)}`,
      );
    this.adaptive.stop();
    this.requested = n;
    this.reconcile();
    this.emitStatus();
  }

  adapt(options: AdaptOptions): void {
    this.adaptive.start(options);
    this.emitStatus();
  }

  stopAdapting(): void {
    this.adaptive.stop();
    this.emitStatus();
  }

  /** Resolves once `n` workers are registered with the scheduler. */
  async waitForWorkers(n: number, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connected.length < n) {
      if (this.state !== 'running') throw new Error(`cluster ${this.name} closed while waiting for workers`);
      if (Date.now() > deadline)
        throw new Error(
          `only ${this.connected.length} of ${n} Dask workers joined within ${timeoutMs / 1000} s:\n${this.scheduler.log()}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await this.poll();
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return;
    this.state = 'closing';
    this.emitStatus();
    clearInterval(this.poller);
    this.adaptive.stop();
    await Promise.all(
      [...this.processes.values()].map((p) => {
        p.retiring = true;
        return stopChild(p.child, 5000, true);
      }),
    );
    this.processes.clear();
    if (this.ownsScheduler) await this.scheduler.stop();
    rmSync(this.directory, { recursive: true, force: true });
    this.state = 'closed';
    this.connected = [];
    this.emitStatus();
  }

  /** Starts or retires worker processes until there are `requested` of them. */
  private reconcile(): void {
    if (this.state !== 'running') return;
    const live = [...this.processes.values()].filter((p) => !p.retiring);
    for (let i = live.length; i < this.requested; i++) this.startWorker();
    for (const p of live.slice(this.requested).reverse()) {
      p.retiring = true;
      void stopChild(p.child, 5000, true);
    }
  }

  private startWorker(): void {
    const index = this.nextIndex++;
    const name = `${this.name}-${index}`;
    const devices = visibleDevices(this.shape, index);
    const child = spawn(
      this.python,
      daskWorkerArgs(this.scheduler.address, this.shape, name, this.directory),
      {
        cwd: this.directory,
        // Its own process group: the nanny and the worker process it runs are stopped together.
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ...(devices !== null ? { CUDA_VISIBLE_DEVICES: devices } : {}) },
      },
    );
    child.stderr!.resume(); // Dask logs every heartbeat problem here; keep the pipe drained
    const worker: WorkerProcess = { name, index, child, retiring: false };
    this.processes.set(name, worker);
    child.once('exit', () => {
      this.processes.delete(name);
      // A worker that died (killed, out of memory) is replaced; one asked to stop is not.
      if (!worker.retiring && this.state === 'running') this.reconcile();
    });
  }

  private async poll(): Promise<void> {
    if (this.state !== 'running') return;
    try {
      this.connected = ownWorkers(await this.scheduler.http.workers(), this.processes.keys());
      const target = this.adaptive.target(this.requested, await this.scheduler.http.counts());
      if (target !== null && target !== this.requested) {
        this.requested = target;
        this.reconcile();
      }
    } catch {
      // The scheduler is busy or going away; the next poll tells.
    }
    this.emitStatus();
  }

  private emitStatus(): void {
    const status = this.status();
    const text = JSON.stringify(status);
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    this.emit('status', status);
  }
}
