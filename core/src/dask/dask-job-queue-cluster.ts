import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdaptOptions, Cluster, ClusterStatus, ScaleRequest } from '../cluster/cluster.js';
import type { Installation } from '../installation.js';
import { getBatchSystem } from '../jobqueue/backends/index.js';
import type { BatchSystem } from '../jobqueue/backends/batch-system.js';
import { userStateDirectory } from '../jobqueue/default-paths.js';
import { withPbsFlavour } from '../jobqueue/job-queue-cluster.js';
import { isFinal } from '../jobqueue/job-state.js';
import { LeftoverJobsFile } from '../jobqueue/leftover-jobs.js';
import { schedulerHost } from '../jobqueue/network-interface.js';
import { renderResolvedJob } from '../jobqueue/render.js';
import type { ResolvedJob } from '../jobqueue/resolved-job.js';
import { commandRunner } from '../jobqueue/run-command.js';
import { jobsForScale } from '../jobqueue/scale.js';
import { JobTracker, type TrackedJob } from '../jobqueue/tracker.js';
import type { DaskConnection } from '../jobqueue/worker-command.js';
import type { TlsFiles } from '../protocol/tls.js';
import { makeClusterAuthority } from './cluster-authority.js';
import { DaskAdaptive } from './dask-adaptive.js';
import type { DaskWorkerInfo } from './dask-http.js';
import { DaskSchedulerProcess } from './dask-scheduler-process.js';
import { defaultPython } from './python.js';
import { ownWorkers, type SharedDaskScheduler } from './shared-scheduler.js';

export interface DaskJobQueueSettings {
  clusterName: string;
  /** Jobs to submit at once. */
  jobs?: number;
  python?: string;
  installation?: Installation;
  /** Join another batch Dask-engine cluster's scheduler (its TLS authority) instead of starting one. */
  shared?: SharedDaskScheduler;
}

const POLL_MS = 2000;
/** How long close() waits for cancelled jobs to leave the queue. */
const CLOSE_WAIT_MS = 30_000;

/**
 * A Dask cluster whose workers run in batch jobs (SLURM, PBS, LSF, SGE): Debian's Dask scheduler
 * started by Drover on the jobs' network with TLS from an authority made for this cluster, and job
 * scripts from the same templates as the Drover engine's, running `dask_worker`.
 */
export class DaskJobQueueCluster extends EventEmitter implements Cluster {
  readonly engine = 'dask';
  readonly token = '';
  private readonly tracker: JobTracker;
  private readonly adaptive = new DaskAdaptive();
  private readonly poller: NodeJS.Timeout;
  private connected: DaskWorkerInfo[] = [];
  private target = 0;
  private nextJobNumber = 0;
  /** The worker name each job was given, so Dask's workers can be told apart by job. */
  private readonly workerNameOf = new Map<string, string>();
  private state: ClusterStatus['state'] = 'running';
  private reconciling: Promise<void> | null = null;
  private lastStatus = '';

  private constructor(
    readonly name: string,
    private readonly job: ResolvedJob,
    private readonly system: BatchSystem,
    readonly scheduler: DaskSchedulerProcess,
    readonly tls: Required<TlsFiles>,
    private readonly python: string,
    private readonly directory: string,
    private readonly installation: Installation | undefined,
    /** False when this cluster's jobs joined another cluster's scheduler, which that cluster stops. */
    private readonly ownsScheduler: boolean,
  ) {
    super();
    this.tracker = new JobTracker({
      system,
      intervalMs: POLL_MS,
      leftovers: new LeftoverJobsFile(),
      cluster: name,
    });
    this.tracker.on('state', (tracked: TrackedJob) => {
      this.emit('job', tracked);
      if (isFinal(tracked.state)) void this.reconcile();
      this.emitStatus();
    });
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.poller.unref();
  }

  static async start(given: ResolvedJob, settings: DaskJobQueueSettings): Promise<DaskJobQueueCluster> {
    const job = await withPbsFlavour(given, commandRunner());
    const python = settings.python ?? defaultPython();
    // On the user's (shared) home, so jobs on other nodes can read the certificate files.
    const parent = job.logDirectory ?? join(userStateDirectory(), 'dask-clusters');
    await mkdir(parent, { recursive: true, mode: 0o700 });
    const directory = await mkdtemp(
      join(parent, `${settings.clusterName.replace(/[^A-Za-z0-9._-]/g, '_')}-`),
    );
    let scheduler: DaskSchedulerProcess | null = null;
    try {
      if (settings.shared && !settings.shared.tls)
        throw new Error(
          "a batch cluster joins only another batch Dask-engine cluster: a local one listens on 127.0.0.1, out of the jobs' reach",
        );
      const tls = settings.shared?.tls ?? (await makeClusterAuthority(directory, settings.clusterName));
      scheduler =
        settings.shared?.scheduler ??
        (await DaskSchedulerProcess.start({
          python,
          host: await schedulerHost(job.interface),
          directory,
          tls,
        }));
      const system = getBatchSystem(job.kind, job.pbsFlavour ? { pbsFlavor: job.pbsFlavour } : {});
      const cluster = new DaskJobQueueCluster(
        settings.clusterName,
        job,
        system,
        scheduler,
        tls,
        python,
        directory,
        settings.installation,
        !settings.shared,
      );
      if (settings.jobs) await cluster.scale({ jobs: settings.jobs });
      return cluster;
    } catch (error) {
      if (!settings.shared) await scheduler?.stop();
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  get schedulerAddress(): string {
    return this.scheduler.address;
  }

  get schedulerFile(): string {
    return this.scheduler.schedulerFile;
  }

  get tlsCa(): string {
    return this.tls.ca;
  }

  /** The job script exactly as submitted (dask-jobqueue's `job_script()`). */
  jobScript(workerName = `${this.name}-0`): string {
    return renderResolvedJob(this.job, {
      connection: this.connection(),
      workerName,
      system: this.system,
      ...(this.installation ? { installation: this.installation } : {}),
    }).script;
  }

  workers(): DaskWorkerInfo[] {
    return this.connected;
  }

  jobs(): TrackedJob[] {
    return this.tracker.jobs();
  }

  status(): ClusterStatus {
    return {
      name: this.name,
      kind: this.job.kind,
      state: this.state,
      schedulerAddress: this.scheduler.address,
      dashboardUrl: '',
      workersRequested: this.target * this.job.processes,
      workersConnected: this.connected.length,
      adaptive: this.adaptive.bounds,
    };
  }

  async scale(request: ScaleRequest): Promise<void> {
    this.adaptive.stop();
    this.target = jobsForScale(request as Parameters<typeof jobsForScale>[0], this.job);
    this.emitStatus();
    await this.reconcile();
  }

  /** Bounds in jobs (`minimumJobs`/`maximumJobs`) or workers (`minimum`/`maximum`). */
  adapt(options: AdaptOptions): void {
    const perJob = this.job.processes;
    this.adaptive.start({
      minimum: options.minimumJobs ?? Math.ceil((options.minimum ?? 0) / perJob),
      maximum: options.maximumJobs ?? Math.ceil((options.maximum ?? perJob) / perJob),
    });
    this.emitStatus();
  }

  stopAdapting(): void {
    this.adaptive.stop();
    this.emitStatus();
  }

  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.emitStatus();
    clearInterval(this.poller);
    this.adaptive.stop();
    this.target = 0;
    await this.reconciling;
    try {
      const live = this.tracker.jobs().filter((j) => !isFinal(j.state));
      if (live.length > 0) await this.tracker.cancel(live.map((j) => j.jobId)).catch(() => {});
      const deadline = Date.now() + CLOSE_WAIT_MS;
      while (this.tracker.jobs().some((j) => !isFinal(j.state)) && Date.now() < deadline) {
        await this.tracker.poll().catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      this.tracker.stop();
      if (this.ownsScheduler) await this.scheduler.stop();
      await rm(this.directory, { recursive: true, force: true });
      this.state = 'closed';
      this.connected = [];
      this.emitStatus();
    }
  }

  private connection(): DaskConnection {
    return { dask: { address: this.scheduler.address, python: this.python, tls: this.tls } };
  }

  private reconcile(): Promise<void> {
    this.reconciling ??= this.reconcileOnce().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    const live = this.tracker.jobs().filter((j) => !isFinal(j.state));
    if (this.state !== 'running') return;
    for (let i = live.length; i < this.target; i++) {
      const workerName = `${this.name}-${this.nextJobNumber++}`;
      this.tracker.start();
      const tracked = await this.tracker.submit(this.job, this.jobScript(workerName));
      this.workerNameOf.set(tracked.jobId, workerName);
    }
    if (live.length > this.target) {
      // Pending jobs go first, then the newest running ones; Dask moves their tasks elsewhere.
      const order = [...live].sort(
        (a, b) =>
          Number(b.state.state === 'pending') - Number(a.state.state === 'pending') ||
          b.submittedAt.getTime() - a.submittedAt.getTime(),
      );
      await this.tracker
        .cancel(order.slice(0, live.length - this.target).map((j) => j.jobId))
        .catch(() => {});
    }
  }

  private async poll(): Promise<void> {
    if (this.state !== 'running') return;
    try {
      this.connected = ownWorkers(await this.scheduler.http.workers(), this.workerNameOf.values());
      const counts = await this.scheduler.http.counts();
      const wanted = this.adaptive.target(this.target, {
        ...counts,
        desiredWorkers: Math.ceil(counts.desiredWorkers / this.job.processes),
      });
      if (wanted !== null && wanted !== this.target) {
        this.target = wanted;
        void this.reconcile();
      }
    } catch {
      // busy or going away; the next poll tells
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
