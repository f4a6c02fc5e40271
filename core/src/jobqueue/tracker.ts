import { EventEmitter } from 'node:events';
import type { BatchSystem, CommandRunner } from './backends/batch-system.js';
import { cancelJobs, pollJobs, submitJob } from './batch-client.js';
import { endReasonOf, isFinal, type EndReason, type JobState } from './job-state.js';
import type { LeftoverJobsFile } from './leftover-jobs.js';
import type { ResolvedJob } from './resolved-job.js';
import { commandRunner, type CommandOptions } from './run-command.js';

/** One job the tracker follows, with its history so far. */
export interface TrackedJob {
  readonly jobId: string;
  readonly name: string;
  readonly state: JobState;
  readonly submittedAt: Date;
  /** When it started running (the batch system's time when it reports one). */
  readonly startedAt?: Date;
  /** Milliseconds from submit to start. */
  readonly queueWaitMs?: number;
  /** When the tracker saw it end. */
  readonly endedAt?: Date;
  readonly endReason?: EndReason;
  /** The batch system's words on why it ended. */
  readonly endDetail?: string;
  readonly stdoutPath?: string;
  readonly stderrPath?: string;
}

/** Options of a {@link JobTracker}. */
export interface JobTrackerOptions {
  readonly system: BatchSystem;
  /** How commands are run; default {@link commandRunner} with `commandOptions`. */
  readonly run?: CommandRunner;
  readonly commandOptions?: CommandOptions;
  /** Poll period; default 5000 ms. */
  readonly intervalMs?: number;
  /** Where submitted jobs are remembered until they end, for clean-up after a crash. */
  readonly leftovers?: LeftoverJobsFile;
  /** Name recorded with leftover jobs. */
  readonly cluster?: string;
  /** Polls a job may be missing from every source before it counts as ended; default 3. */
  readonly missingPolls?: number;
}

/**
 * Submits jobs and follows them with one batched status command per poll.
 *
 * #### Notes
 * Emits `state` (job: TrackedJob, previous: JobState | undefined) on every change, including the
 * pending reason or estimated start; `pollError` (error) when a poll fails (polling goes on).
 * A job cancelled through {@link JobTracker.cancel} ends as `cancelled` even on systems that keep
 * no record of why a job ended (Torque wrappers, a SLURM without accounting).
 */
export class JobTracker extends EventEmitter {
  private readonly system: BatchSystem;
  private readonly run: CommandRunner;
  private readonly tracked = new Map<string, TrackedJob>();
  private readonly missing = new Map<string, number>();
  private readonly cancelRequested = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(private readonly options: JobTrackerOptions) {
    super();
    this.system = options.system;
    this.run = options.run ?? commandRunner(options.commandOptions);
  }

  /** Submits a rendered script and starts following the job. */
  async submit(job: ResolvedJob, script: string): Promise<TrackedJob> {
    const jobId = await submitJob(this.system, job, script, this.run);
    const paths = this.system.outputPaths(job, jobId);
    const tracked: TrackedJob = {
      jobId,
      name: job.name,
      state: { state: 'pending', reason: 'submitted' },
      submittedAt: new Date(),
      ...(paths ? { stdoutPath: paths.stdout, stderrPath: paths.stderr } : {}),
    };
    return this.follow(tracked, job);
  }

  /**
   * Follows a job an earlier launcher submitted and left behind when it died, as if submitted
   * here: its state comes with the next poll, and it is remembered as this launcher's.
   */
  async adopt(jobId: string, job: ResolvedJob, submittedAt: Date): Promise<TrackedJob> {
    const paths = this.system.outputPaths(job, jobId);
    return this.follow(
      {
        jobId,
        name: job.name,
        state: { state: 'pending', reason: 'adopted' },
        submittedAt,
        ...(paths ? { stdoutPath: paths.stdout, stderrPath: paths.stderr } : {}),
      },
      job,
    );
  }

  private async follow(tracked: TrackedJob, job: ResolvedJob): Promise<TrackedJob> {
    this.tracked.set(tracked.jobId, tracked);
    await this.options.leftovers?.add({
      jobId: tracked.jobId,
      kind: this.system.kind,
      cluster: this.options.cluster ?? job.name,
      submittedAt: tracked.submittedAt.toISOString(),
      ...(this.options.commandOptions?.binDirectory
        ? { binDirectory: this.options.commandOptions.binDirectory }
        : {}),
    });
    this.emit('state', tracked, undefined);
    return tracked;
  }

  /** The job with this id, if tracked. */
  get(jobId: string): TrackedJob | undefined {
    return this.tracked.get(jobId);
  }

  /** Every tracked job, in submit order. */
  jobs(): TrackedJob[] {
    return [...this.tracked.values()];
  }

  /** Polls every live job once, with one status command (overlapping calls share one poll). */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  /** Polls every `intervalMs` until {@link JobTracker.stop}. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.poll().catch((e: unknown) => this.emit('pollError', e));
    }, this.options.intervalMs ?? 5000);
    this.timer.unref(); // following jobs must not keep the process alive on its own
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Cancels the given live jobs (default: all) in one command. */
  async cancel(jobIds?: readonly string[]): Promise<void> {
    const live = (jobIds ?? [...this.tracked.keys()]).filter((id) => {
      const j = this.tracked.get(id);
      return j !== undefined && !isFinal(j.state);
    });
    for (const id of live) this.cancelRequested.add(id);
    await cancelJobs(this.system, live, this.run);
  }

  private async pollOnce(): Promise<void> {
    const live = [...this.tracked.values()].filter((j) => !isFinal(j.state)).map((j) => j.jobId);
    if (live.length === 0) return;
    const states = await pollJobs(this.system, live, this.run);
    const now = new Date();
    for (const id of live) {
      let next = states.get(id);
      if (next === undefined) {
        const seen = (this.missing.get(id) ?? 0) + 1;
        this.missing.set(id, seen);
        if (seen < (this.options.missingPolls ?? 3)) continue;
        next = {
          state: 'failed',
          reason: 'unknown',
          detail: 'left the queue; the batch system kept no record of how it ended',
        };
      }
      this.missing.delete(id);
      // Without a record of why a job ended, a job we asked to cancel ended because we did.
      const unexplained =
        (next.state === 'finished' && next.exitCode === undefined) ||
        (next.state === 'failed' && next.reason === 'unknown');
      if (this.cancelRequested.has(id) && unexplained)
        next = { state: 'cancelled', detail: 'cancelled by Drover' };
      await this.update(id, next, now);
    }
  }

  private async update(id: string, next: JobState, now: Date): Promise<void> {
    const prev = this.tracked.get(id)!;
    if (JSON.stringify(prev.state) === JSON.stringify(next)) return;
    let job: TrackedJob = { ...prev, state: next };
    const ran = next.state === 'running' || (isFinal(next) && prev.state.state === 'running');
    if (ran && job.startedAt === undefined) {
      const startedAt = next.state === 'running' && next.startedAt ? next.startedAt : now;
      job = { ...job, startedAt, queueWaitMs: Math.max(0, startedAt.getTime() - prev.submittedAt.getTime()) };
    }
    if (isFinal(next)) {
      const detail =
        next.state === 'failed' ? next.detail : next.state === 'cancelled' ? next.detail : undefined;
      job = { ...job, endedAt: now, endReason: endReasonOf(next)!, ...(detail ? { endDetail: detail } : {}) };
      this.cancelRequested.delete(id);
      await this.options.leftovers?.remove([id]);
    }
    this.tracked.set(id, job);
    this.emit('state', job, prev.state);
  }
}
