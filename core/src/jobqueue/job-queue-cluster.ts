// Over 400 lines on purpose: one batch cluster's lifecycle (start, adopt, scale, adapt, reconcile,
// retire, close) reads and writes the same job and worker bookkeeping; options, rendering, tracking,
// scaling arithmetic and the batch commands already live in their own files.
import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AdaptiveController } from '../cluster/adaptive.js';
import type { AdaptOptions, Cluster, ClusterStatus, ScaleRequest } from '../cluster/cluster.js';
import { createLogger } from '../logger.js';
import { Scheduler, type SchedulerOptions } from '../scheduler/scheduler.js';
import type { WorkerRecord } from '../scheduler/worker-record.js';
import { getBatchSystem } from './backends/index.js';
import { pbsFlavorFromVersion } from './backends/pbs.js';
import { placeWorkerBundle } from './worker-bundle.js';
import { JobQueueConfigError } from './errors.js';
import type { BatchSystem } from './backends/batch-system.js';
import { dryRunJob, type DryRunResult } from './batch-client.js';
import { userStateDirectory } from './default-paths.js';
import { isFinal } from './job-state.js';
import { LeftoverJobsFile } from './leftover-jobs.js';
import { schedulerHost } from './network-interface.js';
import type { BatchKind } from './options.js';
import { cancelOrphanedJobs } from './orphans.js';
import { renderResolvedJob, type RenderedJobScript } from './render.js';
import type { ResolvedJob } from './resolved-job.js';
import { commandRunner } from './run-command.js';
import { jobsForScale } from './scale.js';
import { writeTokenFile } from './token-file.js';
import { JobTracker, type TrackedJob } from './tracker.js';
import { resolveJob } from './validate.js';
import type { SchedulerConnection } from './worker-command.js';
import type { CommandRunner } from './backends/batch-system.js';
import {
  jobOptions,
  type JobQueueClusterOptions,
  type JobQueueClusterSettings,
} from './job-queue-cluster-options.js';

const log = createLogger('job-queue-cluster');
/** Jobs that end before any of their workers connects, in a row, before the cluster stops submitting. */
const MAX_QUICK_FAILURES = 3;
/** How long close() waits for cancelled jobs to leave the queue. */
const CLOSE_WAIT_MS = 15_000;

/** A cluster's status with its jobs. */
export interface JobQueueClusterStatus extends ClusterStatus {
  jobs: {
    pending: number;
    running: number;
    finished: number;
    failed: number;
    cancelled: number;
    requested: number;
  };
  /** From the first submit to the first worker connecting, or null before. */
  timeToFirstWorkerMs: number | null;
  /** Why the cluster stopped submitting, if it did. */
  problem: string | null;
}

/**
 * A scheduler in this process and workers in batch jobs (SLURM, PBS, LSF, SGE), one job script per
 * job, tracked with one batched poll for all jobs.
 *
 * ```ts
 * const cluster = await JobQueueCluster.start('slurm', { cores: 24, processes: 24, memory: '100GB', walltime: '24:00:00', queue: 'dirac1' });
 * console.log(cluster.jobScript());
 * await cluster.scale({ jobs: 4 });
 * ```
 *
 * #### Notes
 * Walltime-aware: workers get a lifetime shorter than the walltime and leave cleanly; a job whose
 * workers are leaving no longer counts, so a replacement is submitted ahead of time. Closing cancels
 * every job, and jobs of a launcher that died are cancelled by the next start on this host.
 * Emits `status` and `job` (TrackedJob).
 */
export class JobQueueCluster extends EventEmitter implements Cluster {
  readonly name: string;
  readonly kind: BatchKind;
  readonly job: ResolvedJob;
  private readonly tracker: JobTracker;
  private readonly run: CommandRunner;
  private readonly system: BatchSystem;
  private target = 0;
  private adaptive: AdaptiveController | null = null;
  private state: ClusterStatus['state'] = 'starting';
  private nextJobNumber = 0;
  private firstSubmitAt: number | null = null;
  private firstWorkerAt: number | null = null;
  private quickFailures = 0;
  private problem: string | null = null;
  private reconciling: Promise<void> | null = null;
  /** Jobs this cluster removed that the batch system may still list for a while. */
  private readonly leaving = new Set<string>();
  private readonly reconcileTimer: NodeJS.Timeout;

  private constructor(
    job: ResolvedJob,
    private readonly options: JobQueueClusterSettings,
    readonly scheduler: Scheduler,
    private readonly tokenFile: string,
    leftovers: LeftoverJobsFile,
  ) {
    super();
    this.kind = job.kind;
    this.job = job;
    this.name = options.clusterName ?? this.job.name;
    this.system = getBatchSystem(job.kind, job.pbsFlavour ? { pbsFlavor: job.pbsFlavour } : {});
    this.run = commandRunner(options.commandOptions);
    this.tracker = new JobTracker({
      system: this.system,
      run: this.run,
      commandOptions: options.commandOptions,
      intervalMs: options.pollIntervalMs ?? 2000,
      leftovers,
      cluster: this.name,
    });
    this.tracker.on('state', (job: TrackedJob) => this.jobChanged(job));
    this.tracker.on('pollError', (error: Error) =>
      log.warn(`polling ${job.kind} jobs failed: ${error.message}`),
    );
    scheduler.on('worker-added', (worker: WorkerRecord) => {
      // A shared scheduler also announces other clusters' workers.
      if (worker.identity.jobId === null || !this.tracker.get(worker.identity.jobId)) return;
      this.firstWorkerAt ??= Date.now();
      this.quickFailures = 0;
      this.emit('status', this.status());
    });
    scheduler.on('worker-removed', () => this.emit('status', this.status()));
    // A cluster sharing another's scheduler cannot go on without it: it closes (cancelling its jobs).
    if (options.scheduler instanceof Scheduler) scheduler.once('closing', () => void this.close());
    this.reconcileTimer = setInterval(() => void this.reconcile(), 1000);
    this.reconcileTimer.unref();
  }

  /**
   * Validates the options, cancels jobs that a dead launcher on this host left, starts the scheduler
   * and submits `jobs` jobs. Throws a JobQueueConfigError naming a bad option before anything
   * starts, and leaves nothing running when a submit fails.
   */
  static async start(kind: BatchKind, options: JobQueueClusterOptions): Promise<JobQueueCluster> {
    return JobQueueCluster.startJob(resolveJob(kind, jobOptions(options), options.installation), options);
  }

  /**
   * As {@link JobQueueCluster.start}, for a job validated once before (`resolveJob`), as the manager
   * does for a cluster spec: only the cluster's own settings are read from `options`.
   */
  static async startJob(given: ResolvedJob, options: JobQueueClusterSettings): Promise<JobQueueCluster> {
    const job = await withPbsFlavour(given, commandRunner(options.commandOptions));
    if (job.workerBundle) await placeWorkerBundle(job.workerBundle);
    const leftovers = new LeftoverJobsFile();
    const adopted = new Set((options.adoptJobs ?? []).map((j) => j.jobId));
    const cleanup = await cancelOrphanedJobs(leftovers, options.commandOptions, adopted);
    if (cleanup.cancelled.length > 0)
      log.warn(
        `cancelled ${cleanup.cancelled.length} jobs left by a launcher that died: ${cleanup.cancelled.join(', ')}`,
      );
    const shared = options.scheduler instanceof Scheduler ? options.scheduler : null;
    const scheduler =
      shared ?? (await startScheduler(options.scheduler as SchedulerOptions | undefined, job));
    let cluster: JobQueueCluster | null = null;
    try {
      const directory = job.logDirectory ?? join(userStateDirectory(), 'clusters', scheduler.id);
      const tokenFile = await writeTokenFile(directory, scheduler.token, `${scheduler.id}.token`);
      cluster = new JobQueueCluster(job, options, scheduler, tokenFile, leftovers);
      cluster.state = 'running';
      if (options.adoptJobs?.length) await cluster.adopt(options.adoptJobs);
      if (options.jobs) await cluster.scale({ jobs: options.jobs });
      return cluster;
    } catch (error) {
      if (cluster) await cluster.close();
      else if (!shared) await scheduler.close();
      throw error;
    }
  }

  /** Follows jobs a dead launcher left (see `adoptJobs`); they count toward the cluster's size. */
  private async adopt(jobs: NonNullable<JobQueueClusterOptions['adoptJobs']>): Promise<void> {
    for (const { jobId, submittedAt } of jobs) {
      await this.tracker.adopt(jobId, this.job, submittedAt ? new Date(submittedAt) : new Date());
    }
    this.target = jobs.length;
    this.tracker.start();
    log.info(
      `adopted ${jobs.length} jobs left by a launcher that died: ${jobs.map((j) => j.jobId).join(', ')}`,
    );
    await this.tracker.poll().catch(() => undefined);
  }

  /** Whether this cluster shares a scheduler it did not start (which it then never closes). */
  private get sharesScheduler(): boolean {
    return this.options.scheduler instanceof Scheduler;
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

  /** How job scripts reach the scheduler: its address, the token file, and its TLS files. */
  private get connection(): SchedulerConnection {
    const tls = this.scheduler.tls?.files;
    return { address: this.scheduler.address, tokenFile: this.tokenFile, ...(tls ? { tls } : {}) };
  }

  /** This cluster's workers (a shared scheduler also has other clusters'). */
  private ownWorkers(): WorkerRecord[] {
    return [...this.scheduler.workers.values()].filter(
      (w) => w.identity.jobId !== null && this.tracker.get(w.identity.jobId) !== undefined,
    );
  }

  /** Exactly the script `scale` submits (dask-jobqueue's `job_script()`). */
  jobScript(workerName = `${this.name}-${this.nextJobNumber}`): string {
    return this.render(workerName).script;
  }

  /** Asks the batch system whether it would accept the job script (`sbatch --test-only` …). */
  dryRun(): Promise<DryRunResult> {
    return dryRunJob(this.system, this.job, this.jobScript(), this.run);
  }

  /** Every job submitted, with its state, times and why it ended. */
  jobs(): TrackedJob[] {
    return this.tracker.jobs();
  }

  /** Workers that came from job `jobId`. */
  workersOf(jobId: string): WorkerRecord[] {
    return [...this.scheduler.workers.values()].filter((w) => w.identity.jobId === jobId);
  }

  status(): JobQueueClusterStatus {
    const counts = { pending: 0, running: 0, finished: 0, failed: 0, cancelled: 0, requested: this.target };
    for (const job of this.tracker.jobs()) counts[job.state.state]++;
    return {
      name: this.name,
      kind: this.kind,
      state: this.state,
      schedulerAddress: this.scheduler.address,
      dashboardUrl: `${this.scheduler.httpUrl}/status`,
      workersRequested: this.target * this.job.processes,
      workersConnected: this.ownWorkers().length,
      // In workers, as scale(n) and adapt({ minimum, maximum }) count them.
      adaptive: this.adaptive
        ? {
            minimum: this.adaptive.minimum * this.job.processes,
            maximum: this.adaptive.maximum * this.job.processes,
          }
        : null,
      jobs: counts,
      timeToFirstWorkerMs:
        this.firstSubmitAt && this.firstWorkerAt ? this.firstWorkerAt - this.firstSubmitAt : null,
      problem: this.problem,
    };
  }

  /**
   * Scales to a number of jobs: `{ jobs }`, or `{ workers | cores | memory }` converted as
   * dask-jobqueue does (a plain number means workers). Submits the missing jobs at once; removes
   * surplus ones pending first, then those whose workers are idlest (workers retire first).
   */
  async scale(request: ScaleRequest): Promise<void> {
    this.target = jobsForScale(request, this.job);
    this.problem = null;
    this.quickFailures = 0;
    await this.reconcile();
    this.emit('status', this.status());
  }

  /**
   * Adapts between bounds: `minimum`/`maximum` in workers (a job of `processes` workers counts as
   * that many, rounded up to whole jobs as `scale(n)` does) or `minimumJobs`/`maximumJobs` in jobs.
   */
  adapt(options: AdaptOptions): void {
    const bounds = adaptBoundsInJobs(options, this.job.processes);
    this.stopAdapting();
    const slots = this.job.threadsPerWorker * this.job.processes;
    this.adaptive = new AdaptiveController(
      {
        requested: () => this.target,
        demand: () => ({ tasks: this.activeTasks(), slotsPerUnit: slots }),
        idleUnits: () => {
          const idle = this.liveJobs().filter((job) => this.isIdle(job));
          const running = idle.filter((job) => job.state.state !== 'pending');
          const pending = idle.length - running.length;
          // Jobs are retired whole; a job's results go only if another job can take them.
          const workers = running.flatMap((job) => this.workersOf(job.jobId));
          const keepOne = running.length > 0 && this.scheduler.retirableCount(workers) < workers.length;
          return pending + running.length - (keepOne ? 1 : 0);
        },
        scaleUp: (units) => this.scale({ jobs: this.target + units }),
        retireIdle: (units) => this.scale({ jobs: this.target - units }),
      },
      bounds,
    );
    this.emit('status', this.status());
  }

  /**
   * The work adaptive scaling sizes this cluster for: tasks waiting for its pool (or, without a
   * pool, tasks that ask for none) and tasks running on its workers.
   */
  private activeTasks(): number {
    const running = this.ownWorkers().reduce((sum, w) => sum + w.processing.size, 0);
    return this.scheduler.queuedFor(this.job.pool ?? null) + running;
  }

  stopAdapting(): void {
    this.adaptive?.stop();
    this.adaptive = null;
  }

  /** Cancels every job, stops the scheduler and removes the token file. */
  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return;
    this.state = 'closing';
    this.stopAdapting();
    clearInterval(this.reconcileTimer);
    this.target = 0;
    await this.reconciling;
    try {
      await this.cancelLive(this.tracker.jobs().map((job) => job.jobId));
      await this.waitForJobsToEnd(CLOSE_WAIT_MS);
    } finally {
      this.tracker.stop();
      if (!this.sharesScheduler) await this.scheduler.close();
      await rm(this.tokenFile, { force: true });
      this.state = 'closed';
      this.emit('status', this.status());
    }
  }

  /**
   * Cancels those of `jobIds` that have not ended. A job can end between the poll and the cancel
   * (its workers left and its script finished), which some systems report as a failed cancel: that
   * is not an error when a fresh poll shows the job ended.
   */
  private async cancelLive(jobIds: string[]): Promise<void> {
    try {
      await this.tracker.cancel(jobIds);
    } catch (error) {
      await this.tracker.poll().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 500));
      await this.tracker.poll().catch(() => {});
      const stillLive = jobIds.filter((id) => {
        const job = this.tracker.get(id);
        return job !== undefined && !isFinal(job.state);
      });
      if (stillLive.length === 0) return;
      if (stillLive.length === jobIds.length) throw error;
      await this.tracker.cancel(stillLive);
    }
  }

  /** Polls until every job has ended (their records then leave the leftover-jobs file), or `ms` passes. */
  private async waitForJobsToEnd(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.tracker.jobs().some((job) => !isFinal(job.state)) && Date.now() < deadline) {
      await this.tracker.poll().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Jobs pending or running that still count toward the target (not leaving because of walltime). */
  private liveJobs(): TrackedJob[] {
    return this.tracker
      .jobs()
      .filter((job) => !isFinal(job.state) && !this.leaving.has(job.jobId) && !this.isExpiring(job));
  }

  /**
   * A job whose workers will soon reach the end of their lifetime (or are already leaving). It no
   * longer counts toward the target, so its replacement is submitted early enough to be running when
   * these workers hand their results over and leave.
   */
  private isExpiring(job: TrackedJob): boolean {
    const workers = this.workersOf(job.jobId);
    if (workers.length === 0) return false;
    if (workers.every((w) => w.plannedDeparture === 'lifetime')) return true;
    const deadline = Math.min(...workers.map((w) => w.identity.deadline ?? Infinity));
    return deadline - Date.now() < this.replacementLeadMs();
  }

  /** How long before a job's workers leave its replacement is submitted: twice the recent queue wait, at least 30 s, at most half the lifetime. */
  private replacementLeadMs(): number {
    const waits = this.tracker
      .jobs()
      .map((job) => job.queueWaitMs)
      .filter((ms): ms is number => ms !== undefined)
      .slice(-5)
      .sort((a, b) => a - b);
    const typicalWait = waits.length > 0 ? waits[Math.floor(waits.length / 2)]! : 0;
    const lifetimeMs = (this.job.lifetimeSeconds ?? Infinity) * 1000;
    return Math.min(lifetimeMs / 2, Math.max(30_000, 2 * typicalWait));
  }

  private isIdle(job: TrackedJob): boolean {
    if (job.state.state === 'pending') return true;
    return this.workersOf(job.jobId).every((w) => w.processing.size === 0);
  }

  /** Submits or removes jobs until the live ones match the target. One pass at a time. */
  private reconcile(): Promise<void> {
    this.reconciling ??= this.reconcileOnce().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    if (this.state === 'closed') return;
    const live = this.liveJobs();
    if (live.length < this.target && this.problem === null) {
      for (let i = live.length; i < this.target; i++) await this.submitOne();
    } else if (live.length > this.target) {
      await this.removeJobs(live, live.length - this.target);
    }
  }

  private async submitOne(): Promise<void> {
    const workerName = `${this.name}-${this.nextJobNumber++}`;
    const rendered = this.render(workerName);
    this.firstSubmitAt ??= Date.now();
    this.tracker.start();
    await this.tracker.submit(rendered.job, rendered.script);
  }

  private render(workerName: string): RenderedJobScript {
    return renderResolvedJob(this.job, {
      connection: this.connection,
      workerName,
      system: this.system,
      ...(this.options.installation ? { installation: this.options.installation } : {}),
    });
  }

  private async removeJobs(live: TrackedJob[], count: number): Promise<void> {
    const byIdleness = [...live].sort((a, b) => this.load(a) - this.load(b)).slice(0, count);
    for (const job of byIdleness) this.leaving.add(job.jobId);
    // By connected workers rather than the last poll: a job can be running before a poll says so,
    // and its workers must retire, not be killed with the job (SGE's qdel sends SIGKILL).
    const running = byIdleness.filter((job) => this.workersOf(job.jobId).length > 0);
    const pending = byIdleness.filter((job) => !running.includes(job));
    if (pending.length > 0) await this.cancelLive(pending.map((job) => job.jobId));
    // Workers leave first (their results move to other workers), then the job is cancelled.
    const workers = running.flatMap((job) => this.workersOf(job.jobId));
    if (workers.length > 0) await this.scheduler.retireWorkers(workers, 'scaled-down');
    if (running.length > 0) await this.cancelLive(running.map((job) => job.jobId));
  }

  private load(job: TrackedJob): number {
    const workers = this.workersOf(job.jobId);
    if (workers.length === 0) return -1;
    return workers.reduce((sum, w) => sum + w.processing.size + w.holding.size, 0);
  }

  private jobChanged(job: TrackedJob): void {
    if (isFinal(job.state) && this.state === 'running') {
      const neverConnected = job.endReason !== 'cancelled' && this.firstWorkerAfter(job) === false;
      if (neverConnected && ++this.quickFailures >= MAX_QUICK_FAILURES) {
        this.problem =
          `${this.quickFailures} jobs in a row ended before any worker connected (last: job ${job.jobId}, ` +
          `${job.endReason}: ${job.endDetail ?? 'no detail'}); see ${job.stderrPath ?? 'the job output'}. ` +
          'Not submitting more until the next scale().';
        log.error(this.problem);
      }
      void this.reconcile();
    }
    this.emit('job', job);
    this.emit('status', this.status());
  }

  /** Whether any worker of this job ever connected (known only while they are connected or departed). */
  private firstWorkerAfter(job: TrackedJob): boolean {
    return this.scheduler.departed.some((d) => d.jobId === job.jobId) || this.workersOf(job.jobId).length > 0;
  }
}

/** A scheduler of this cluster's own, on `interface`'s address or this host's. */
async function startScheduler(settings: SchedulerOptions | undefined, job: ResolvedJob): Promise<Scheduler> {
  const host = settings?.host ?? (await schedulerHost(job.interface));
  return Scheduler.start({ ...settings, host });
}

/** A PBS job without `flavour` gets the one `qstat --version` shows (other kinds are returned as they are). */
export async function withPbsFlavour(job: ResolvedJob, run: CommandRunner): Promise<ResolvedJob> {
  if (job.kind !== 'pbs' || job.pbsFlavour !== undefined) return job;
  const result = await run({ file: 'qstat', args: ['--version'] });
  const flavour = pbsFlavorFromVersion(`${result.stdout}\n${result.stderr}`);
  if (flavour === null) {
    throw new JobQueueConfigError(
      'flavour',
      `could not tell Torque from PBS Pro by qstat --version (it printed ${JSON.stringify((result.stdout + result.stderr).trim().slice(0, 200))}); set flavour: "torque" or "pbspro"`,
    );
  }
  log.info(`PBS flavour ${flavour} (from qstat --version)`);
  return { ...job, pbsFlavour: flavour };
}

/** Adaptive bounds in jobs, from workers (`minimum`/`maximum`, rounded up) or jobs as given. */
export function adaptBoundsInJobs(options: AdaptOptions, processes: number): AdaptOptions {
  const inWorkers = options.minimum !== undefined || options.maximum !== undefined;
  const inJobs = options.minimumJobs !== undefined || options.maximumJobs !== undefined;
  if (inWorkers && inJobs)
    throw new RangeError('adapt: give minimum/maximum (workers) or minimumJobs/maximumJobs (jobs), not both');
  const { minimum, maximum, minimumJobs, maximumJobs, ...rest } = options;
  if (!inWorkers) return { ...rest, minimumJobs, maximumJobs };
  const jobs = (workers: number | undefined): number | undefined =>
    workers === undefined || !Number.isFinite(workers) ? workers : Math.ceil(workers / processes);
  return { ...rest, minimumJobs: jobs(minimum), maximumJobs: jobs(maximum) };
}
