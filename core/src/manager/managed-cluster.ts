import { EventEmitter } from 'node:events';
import type { Cluster } from '../cluster/cluster.js';
import { isDaskCluster, type DaskCluster } from '../dask/dask-cluster.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { TrackedJob } from '../jobqueue/tracker.js';
import type {
  ConnectionModel,
  ClusterModel,
  GroupProgress,
  JobModel,
  TaskBatch,
  WorkerModel,
} from './api-types.js';
import { ManagerError } from './errors.js';
import { TaskStreamAggregator } from './task-aggregator.js';
import type { ValidSpec } from './spec/validate-spec.js';

/** How often aggregated task bars go out to subscribers. */
const TASK_FLUSH_MS = 100;

/** What a batch-system cluster adds to `Cluster` (JobQueueCluster), read when present. */
interface WithJobs {
  jobs(): TrackedJob[];
}

/** The parts of a cluster's status beyond `ClusterStatus` that some launchers report. */
interface ExtendedStatus {
  timeToFirstWorkerMs?: number | null;
}

/**
 * One cluster of the manager: the launcher, the spec it came from, and the views the API serves
 * (model, metrics, aggregated task stream).
 *
 * #### Notes
 * Emits `changed` when its model may have changed and `job` (JobModel) on a batch job's change.
 */
export class ManagedCluster extends EventEmitter {
  /** The launcher; null while it is starting. */
  cluster: Cluster | null = null;
  private firstWorkerAt: number | null = null;
  private aggregator: TaskStreamAggregator | null = null;
  private readonly taskListeners = new Set<(batch: TaskBatch) => void>();
  private unsubscribeStream: (() => void) | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    readonly name: string,
    public spec: ValidSpec,
    readonly createdAt: number,
    readonly restoredAt?: string,
  ) {
    super();
  }

  /** Called once the launcher has started. */
  attach(cluster: Cluster): void {
    this.cluster = cluster;
    cluster.on('status', () => {
      this.noteFirstWorker();
      this.emit('changed');
    });
    cluster.on('job', (job: TrackedJob) => this.emit('job', toJobModel(job)));
    this.noteFirstWorker();
  }

  /** The in-process scheduler, when the launcher has one. */
  get scheduler(): Scheduler | null {
    const s = (this.cluster as { scheduler?: unknown } | null)?.scheduler;
    return s instanceof Scheduler ? s : null;
  }

  /** Marks the cluster as going away (its card shows "closing"). */
  markClosing(): void {
    this.closing = true;
    this.stopStream();
    this.emit('changed');
  }

  model(): ClusterModel {
    const status = this.cluster?.status();
    const scheduler = this.scheduler?.isClosed ? null : this.scheduler;
    const schedulerStatus = scheduler?.status();
    const workers = schedulerStatus?.workers ?? [];
    const limits = workers.map((w) => w.memoryLimit);
    const jobs = this.jobModels();
    const extended = status as (typeof status & ExtendedStatus) | undefined;
    const dask = isDaskCluster(this.cluster) ? this.cluster.workers() : null;
    return {
      name: this.name,
      kind: this.spec.kind,
      engine: this.spec.engine ?? 'drover',
      state: this.closing && status?.state !== 'closed' ? 'closing' : (status?.state ?? 'starting'),
      spec: this.spec,
      createdAt: new Date(this.createdAt).toISOString(),
      schedulerAddress: this.cluster?.schedulerAddress ?? '',
      workers: {
        connected: status?.workersConnected ?? 0,
        requested: status?.workersRequested ?? this.spec.scale,
      },
      jobs: jobs === null ? null : countJobs(jobs),
      cores: (dask ?? workers).reduce((sum, w) => sum + w.nthreads, 0),
      memory: dask
        ? dask.length > 0 && dask.every((w) => w.memoryLimit > 0)
          ? dask.reduce((sum, w) => sum + w.memoryLimit, 0)
          : null
        : limits.length > 0 && limits.every((l) => l !== null)
          ? limits.reduce((a, b) => a! + b!, 0)
          : null,
      adaptive: status?.adaptive ?? null,
      timeToFirstWorkerMs:
        extended?.timeToFirstWorkerMs ??
        (this.firstWorkerAt === null ? null : this.firstWorkerAt - this.createdAt),
      tasks: {
        total: schedulerStatus?.tasks.total ?? 0,
        byState: schedulerStatus?.tasks.byState ?? {},
        tasksPerSecond: schedulerStatus?.throughput.tasksPerSecond ?? 0,
      },
      clientCode: this.cluster ? clientCode(this.cluster) : '',
      ...(this.restoredAt ? { restoredAt: this.restoredAt } : {}),
    };
  }

  /** Address, token and authority for a client of this cluster; throws while it is not running. */
  connection(): ConnectionModel {
    const cluster = this.cluster;
    if (!cluster || this.closing)
      throw new ManagerError(409, 'not-running', `cluster ${this.name} is not running; wait until it runs`);
    if (isDaskCluster(cluster))
      return {
        engine: 'dask',
        address: cluster.schedulerAddress,
        schedulerFile: cluster.schedulerFile,
        ...('tls' in cluster ? { tls: cluster.tls } : {}),
      };
    return {
      engine: 'drover',
      address: cluster.schedulerAddress,
      token: cluster.token,
      ...(cluster.tlsCa ? { tls: { ca: cluster.tlsCa } } : {}),
    };
  }

  /** Workers with CPU and memory, per-group progress and the task rate. */
  metrics(): { workers: WorkerModel[]; groups: GroupProgress[]; tasksPerSecond: number } {
    if (isDaskCluster(this.cluster)) return daskMetrics(this.cluster);
    const scheduler = this.scheduler;
    if (!scheduler || scheduler.isClosed) return { workers: [], groups: [], tasksPerSecond: 0 };
    const status = scheduler.status();
    return {
      workers: status.workers.map((w) => ({
        name: w.name,
        host: w.host,
        nthreads: w.nthreads,
        jobId: w.jobId,
        cpu: w.metrics?.cpu ?? null,
        rss: w.metrics?.rss ?? null,
        memoryLimit: w.memoryLimit,
        executing: w.processing,
        status: w.status,
      })),
      groups: Object.entries(status.tasks.byGroup).map(([group, byState]) => ({
        group,
        total: Object.values(byState).reduce((a, b) => a + b, 0),
        byState,
      })),
      tasksPerSecond: status.throughput.tasksPerSecond,
    };
  }

  /** Batch jobs, or null for launchers without jobs (local clusters). */
  jobModels(): JobModel[] | null {
    const c = this.cluster as (Cluster & Partial<WithJobs>) | null;
    return c && typeof c.jobs === 'function' ? c.jobs().map(toJobModel) : null;
  }

  /**
   * Calls `listener` with aggregated task bars every 100 ms while there are events; the first call
   * carries the complete lane and group tables (`reset`).
   */
  subscribeTasks(listener: (batch: TaskBatch) => void): () => void {
    const stream = isDaskCluster(this.cluster)
      ? this.cluster.scheduler.taskStream
      : this.scheduler?.taskStream;
    if (!stream || this.closing) return () => undefined;
    if (!this.aggregator) {
      const aggregator = new TaskStreamAggregator();
      this.aggregator = aggregator;
      this.unsubscribeStream = stream.subscribe((events) => aggregator.add(events));
      this.flushTimer = setInterval(() => this.flush(), TASK_FLUSH_MS);
      this.flushTimer.unref();
    }
    this.flush(); // earlier subscribers get what is pending before the tables are snapshot
    const { lanes, groups } = this.aggregator.tables();
    listener({
      now: Date.now(),
      t0: Date.now(),
      newLanes: lanes,
      newGroups: groups,
      bars: [],
      keys: [],
      tasks: 0,
      reset: true,
    });
    this.taskListeners.add(listener);
    return () => {
      this.taskListeners.delete(listener);
      if (this.taskListeners.size === 0) this.stopStream();
    };
  }

  private flush(): void {
    const batch = this.aggregator?.flush();
    if (batch) for (const listener of this.taskListeners) listener(batch);
  }

  private stopStream(): void {
    this.unsubscribeStream?.();
    this.unsubscribeStream = null;
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = null;
    this.aggregator = null;
    this.taskListeners.clear();
  }

  private noteFirstWorker(): void {
    if (this.firstWorkerAt !== null) return;
    const joined = (this.scheduler?.isClosed ? [] : (this.scheduler?.status().workers ?? [])).map(
      (w) => w.joinedAt,
    );
    if (joined.length > 0) this.firstWorkerAt = Math.min(...joined);
  }
}

/** Dask workers as the workers view shows them. */
function daskMetrics(cluster: DaskCluster): {
  workers: WorkerModel[];
  groups: GroupProgress[];
  tasksPerSecond: number;
} {
  const stream = cluster.scheduler.taskStream;
  const recent = stream
    .since(Math.max(0, stream.recorded - 50_000))
    .events.filter((e) => e.stop > Date.now() - 5000);
  return {
    groups: Object.entries(cluster.scheduler.groups).map(([group, byState]) => ({
      group,
      total: Object.values(byState).reduce((a, b) => a + b, 0),
      byState,
    })),
    tasksPerSecond: recent.length / 5,
    workers: cluster.workers().map((w) => ({
      name: w.name,
      host: w.host,
      nthreads: w.nthreads,
      jobId: null,
      cpu: w.cpu,
      rss: w.memory,
      memoryLimit: w.memoryLimit > 0 ? w.memoryLimit : null,
      executing: w.executing,
      status: w.status,
    })),
  };
}

/** The code that connects a client to a running cluster: Python for Dask, TypeScript for Drover. */
export function clientCode(cluster: Cluster): string {
  if (isDaskCluster(cluster))
    return ['import drover', '', `client = drover.connect(${JSON.stringify(cluster.name)})`, ''].join('\n');
  const address = `${cluster.schedulerAddress}?token=${encodeURIComponent(cluster.token)}`;
  const trust = cluster.tlsCa ? `, { tlsCa: ${JSON.stringify(cluster.tlsCa)} }` : '';
  return [
    "import { Client } from '@drover/core';",
    '',
    `const client = await Client.connect(${JSON.stringify(address)}${trust});`,
    '',
  ].join('\n');
}

function toJobModel(job: TrackedJob): JobModel {
  const s = job.state;
  const reason =
    s.state === 'pending' ? s.reason : s.state === 'failed' ? `${s.reason}: ${s.detail}` : job.endDetail;
  return {
    jobId: job.jobId,
    state: s.state,
    ...(reason ? { reason } : {}),
    ...(s.state === 'pending' && s.estimatedStart ? { estimatedStart: s.estimatedStart.toISOString() } : {}),
    submittedAt: job.submittedAt.toISOString(),
    ...(job.startedAt ? { startedAt: job.startedAt.toISOString() } : {}),
    ...(job.endedAt ? { endedAt: job.endedAt.toISOString() } : {}),
    ...(job.stdoutPath ? { stdoutPath: job.stdoutPath } : {}),
    ...(job.stderrPath ? { stderrPath: job.stderrPath } : {}),
  };
}

function countJobs(jobs: JobModel[]): NonNullable<ClusterModel['jobs']> {
  const count = (state: JobModel['state']): number => jobs.filter((j) => j.state === state).length;
  return {
    pending: count('pending'),
    running: count('running'),
    finished: count('finished') + count('cancelled'),
    failed: count('failed'),
    pendingReasons: jobs
      .filter((j) => j.state === 'pending')
      .map((j) => ({
        jobId: j.jobId,
        reason: j.reason ?? '',
        ...(j.estimatedStart ? { estimatedStart: j.estimatedStart } : {}),
      })),
  };
}
