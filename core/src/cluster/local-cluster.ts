import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { defaultInstallation, type Installation } from '../installation.js';
import { createLogger } from '../logger.js';
import { Scheduler, type SchedulerOptions } from '../scheduler/scheduler.js';
import type { WorkerRecord } from '../scheduler/worker-record.js';
import { parseBytes } from '../units/memory.js';
import { AdaptiveController } from './adaptive.js';
import type { AdaptOptions, Cluster, ClusterStatus, ScaleRequest } from './cluster.js';
import { memoryThresholds, type MemoryThresholds } from '../worker/worker-options.js';
import { WorkerProcess } from './worker-process.js';

const log = createLogger('local-cluster');
/** Beyond this many unexpected worker deaths in a minute, dead workers are not replaced (a crash loop). */
const MAX_DEATHS_PER_MINUTE = 20;

/** Options of {@link LocalCluster.start}. */
export interface LocalClusterOptions {
  /** Worker processes. Default: the number of CPUs. */
  workers?: number;
  /** Slots per worker. Default 1. */
  threadsPerWorker?: number;
  /** Per worker: bytes or text such as '4GB'. Default, 0 or null: none. */
  memoryLimit?: number | string | null;
  /**
   * Fractions of `memoryLimit` at which a worker stops taking tasks (`pause`, default 0.8) and
   * restarts (`restart`, default 0.95; 0: never), as Dask's nanny does.
   */
  memoryThresholds?: Partial<MemoryThresholds>;
  /** Resources each worker declares, e.g. `{ gpus: 1 }`. */
  resources?: Record<string, number>;
  /** Pools each worker serves. */
  pools?: string[];
  name?: string;
  /**
   * Scheduler options (host, port, schedulerFile, token, tls, …), or a running scheduler to share
   * (another cluster's `cluster.scheduler`): the workers then serve `pools` beside that cluster's,
   * and closing this cluster leaves the shared scheduler running.
   */
  scheduler?: SchedulerOptions | Scheduler;
  /** How long to wait for the first workers. Default 30 s. */
  startTimeoutMs?: number;
  /** The Node binary and Drover installation the workers run from. Default {@link defaultInstallation}. */
  installation?: Installation;
}

/**
 * A scheduler in this process and worker processes on this machine.
 *
 * ```ts
 * const cluster = await LocalCluster.start({ workers: 2, threadsPerWorker: 1 });
 * const client = await Client.connect(cluster);
 * ```
 *
 * #### Notes
 * A worker process that dies unexpectedly is replaced, so the cluster keeps the size it was asked
 * for. Worker processes exit when this process exits, even when it is killed with SIGKILL.
 */
export class LocalCluster extends EventEmitter implements Cluster {
  readonly name: string;
  private readonly processes = new Map<string, WorkerProcess>();
  private readonly ready = new Map<string, () => void>();
  private nextWorker = 0;
  private target = 0;
  private adaptive: AdaptiveController | null = null;
  private state: ClusterStatus['state'] = 'starting';
  private readonly memoryLimit: number | null;
  /** When workers died unexpectedly, for the replacement limit. */
  private deaths: number[] = [];

  private constructor(
    readonly scheduler: Scheduler,
    private readonly options: LocalClusterOptions,
  ) {
    super();
    this.name = options.name ?? 'local';
    // 0 (ESPEI's setting) means no limit, as in Dask.
    this.memoryLimit = options.memoryLimit ? parseBytes(options.memoryLimit, 'memoryLimit') || null : null;
    scheduler.on('worker-added', (worker: WorkerRecord) => {
      this.ready.get(worker.name)?.();
      this.ready.delete(worker.name);
      this.emit('status', this.status());
    });
    scheduler.on('worker-removed', () => this.emit('status', this.status()));
  }

  /** Starts the scheduler and the workers; resolves when all workers are connected. */
  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const workers = options.workers ?? availableParallelism();
    checkCount('workers', workers, 0);
    checkCount('threadsPerWorker', options.threadsPerWorker ?? 1, 1);
    memoryThresholds(options.memoryThresholds); // a bad fraction fails before anything starts
    const shared = options.scheduler instanceof Scheduler ? options.scheduler : null;
    if (shared?.tls)
      throw new TypeError(
        'scheduler: local workers cannot join a shared TLS scheduler; give scheduler options instead',
      );
    const scheduler = shared ?? (await Scheduler.start(options.scheduler as SchedulerOptions | undefined));
    const cluster = new LocalCluster(scheduler, options);
    try {
      await cluster.scale(workers);
    } catch (error) {
      await cluster.close();
      throw error;
    }
    cluster.state = 'running';
    return cluster;
  }

  get schedulerAddress(): string {
    return this.scheduler.address;
  }

  get token(): string {
    return this.scheduler.token;
  }

  /** With TLS (`scheduler.tls`): the certificate authority file clients trust. */
  get tlsCa(): string | null {
    return this.scheduler.tls?.caPath ?? null;
  }

  status(): ClusterStatus {
    return {
      name: this.name,
      kind: 'local',
      state: this.state,
      schedulerAddress: this.scheduler.address,
      dashboardUrl: `${this.scheduler.httpUrl}/status`,
      workersRequested: this.target,
      workersConnected: this.ownWorkers().length,
      adaptive: this.adaptive ? { minimum: this.adaptive.minimum, maximum: this.adaptive.maximum } : null,
    };
  }

  /**
   * The work adaptive scaling sizes this cluster for: with pools, the tasks waiting for them and
   * those running on its workers; without, every task the scheduler has.
   */
  private activeTasks(): number {
    const pools = this.options.pools ?? [];
    if (pools.length === 0) return this.scheduler.activeTaskCount();
    const running = this.ownWorkers().reduce((sum, w) => sum + w.processing.size, 0);
    return pools.reduce((sum, pool) => sum + this.scheduler.queuedFor(pool), running);
  }

  /** This cluster's workers among the scheduler's (a shared scheduler has others too). */
  private ownWorkers(): WorkerRecord[] {
    return [...this.scheduler.workers.values()].filter((w) => this.processes.has(w.name));
  }

  /** Scales to `n` workers (or `{ workers: n }`): starts new ones, or retires the idlest. */
  async scale(request: ScaleRequest): Promise<void> {
    const n = typeof request === 'number' ? request : 'workers' in request ? request.workers : NaN;
    if (Number.isNaN(n)) throw new TypeError('scale: a local cluster scales by { workers: n } or a number');
    checkCount('workers', n, 0);
    this.target = n;
    const alive = [...this.processes.values()].filter((p) => !p.stopping);
    if (n > alive.length) await this.spawn(n - alive.length);
    else if (n < alive.length) await this.retire(alive.length - n);
    this.emit('status', this.status());
  }

  adapt(options: AdaptOptions): void {
    if (options.minimumJobs !== undefined || options.maximumJobs !== undefined)
      throw new RangeError('adapt: a local cluster has no jobs; give minimum/maximum in workers');
    this.stopAdapting();
    const slots = this.options.threadsPerWorker ?? 1;
    this.adaptive = new AdaptiveController(
      {
        requested: () => this.target,
        demand: () => ({ tasks: this.activeTasks(), slotsPerUnit: slots }),
        idleUnits: () => {
          const idle = this.ownWorkers().filter((w) => w.processing.size === 0);
          return this.scheduler.retirableCount(idle);
        },
        scaleUp: (units) => this.scale(this.target + units),
        retireIdle: (units) => this.scale(this.target - units),
      },
      options,
    );
    this.emit('status', this.status());
  }

  stopAdapting(): void {
    this.adaptive?.stop();
    this.adaptive = null;
  }

  /** Stops adaptive scaling, the workers and the scheduler. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closing';
    this.stopAdapting();
    await Promise.all([...this.processes.values()].map((p) => p.kill()));
    this.processes.clear();
    if (!(this.options.scheduler instanceof Scheduler)) await this.scheduler.close();
    this.state = 'closed';
    this.emit('status', this.status());
  }

  private async spawn(count: number): Promise<void> {
    const started: Promise<void>[] = [];
    for (let i = 0; i < count; i++) started.push(this.startWorker());
    await Promise.all(started);
  }

  private startWorker(): Promise<void> {
    const name = `${this.name}-worker-${this.nextWorker++}`;
    const worker = new WorkerProcess({
      scheduler: this.scheduler.address,
      token: this.scheduler.token,
      name,
      nthreads: this.options.threadsPerWorker ?? 1,
      memoryLimit: this.memoryLimit,
      ...(this.options.memoryThresholds ? { memoryThresholds: this.options.memoryThresholds } : {}),
      resources: this.options.resources ?? {},
      pools: this.options.pools ?? [],
      // Workers serve their results with the scheduler's certificate (this machine's).
      tls: this.options.scheduler instanceof Scheduler ? null : (this.options.scheduler?.tls ?? null),
      installation: this.options.installation ?? defaultInstallation(),
    });
    this.processes.set(name, worker);
    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.ready.delete(name);
        reject(new Error(`worker ${name} did not connect within ${timeoutMs} ms:\n${worker.stderrTail}`));
      }, timeoutMs);
      this.ready.set(name, () => {
        clearTimeout(timer);
        resolve();
      });
      void worker.exited.then((code) => {
        clearTimeout(timer);
        if (this.ready.has(name)) {
          this.ready.delete(name);
          reject(
            new Error(`worker ${name} exited with code ${code} before connecting:\n${worker.stderrTail}`),
          );
        }
      });
    });
    void worker.exited.then(() => this.workerExited(worker));
    return connected;
  }

  private workerExited(worker: WorkerProcess): void {
    this.processes.delete(worker.name);
    if (worker.stopping || this.state !== 'running') return;
    const now = Date.now();
    this.deaths = this.deaths.filter((t) => now - t < 60_000);
    this.deaths.push(now);
    if (this.deaths.length > MAX_DEATHS_PER_MINUTE) {
      log.error(
        `${this.deaths.length} workers died within a minute; not replacing ${worker.name}`,
        worker.stderrTail,
      );
      this.emit('status', this.status());
      return;
    }
    const alive = [...this.processes.values()].filter((p) => !p.stopping).length;
    if (alive < this.target) {
      log.warn(`worker ${worker.name} died; starting a replacement`, worker.stderrTail);
      this.startWorker().catch((error: Error) => {
        if (this.state === 'running') log.error('replacement worker failed to start', error);
      });
    }
  }

  /** Retires `count` workers, idlest first; workers not yet connected are stopped first. */
  private async retire(count: number): Promise<void> {
    const connected = new Map(this.ownWorkers().map((w) => [w.name, w]));
    const candidates = [...this.processes.values()]
      .filter((p) => !p.stopping)
      .sort((a, b) => load(connected.get(a.name)) - load(connected.get(b.name)))
      .slice(0, count);
    for (const p of candidates) p.stopping = true;
    const records = candidates
      .map((p) => connected.get(p.name))
      .filter((w): w is WorkerRecord => w !== undefined);
    await this.scheduler.retireWorkers(records, 'scaled-down');
    await Promise.all(candidates.map((p) => p.kill()));
  }
}

/** Not yet connected (undefined) sorts first, then fewest tasks and results. */
function load(worker: WorkerRecord | undefined): number {
  return worker ? worker.processing.size + worker.holding.size + 1 : 0;
}

function checkCount(field: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`${field}: must be a whole number ≥ ${minimum}, got ${value}`);
  }
}
