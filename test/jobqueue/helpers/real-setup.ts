// Per-batch-system fixtures of the real suite: a tracker each, job options that stand in for the
// engine, and the list of job ids submitted (checked at the end: none may stay in a queue).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  getBatchSystem,
  JobTracker,
  prepareJobScript,
  slurm,
  type BatchKind,
  type BatchSystem,
  type CommandOptions,
  type JobQueueOptions,
  type TrackedJob,
} from '@drover/core';
import { LSF_SHIM } from './batch-systems.js';

/** One batch system under test. */
export interface RealSetup {
  readonly kind: BatchKind;
  readonly system: BatchSystem;
  readonly commands: CommandOptions;
  readonly tracker: JobTracker;
  walltimeJob?: TrackedJob;
}

/** Everything the real suite shares. */
export class RealBatchContext {
  readonly setups = new Map<BatchKind, RealSetup>();
  readonly submittedSlurm: string[] = [];
  readonly submittedSge: string[] = [];
  readonly connection: { address: string; tokenFile: string };

  constructor(
    readonly logs: string,
    readonly state: string,
    torqueBin: string,
  ) {
    this.connection = { address: 'ws://127.0.0.1:9', tokenFile: join(state, 'token') };
    this.add('slurm', slurm, {});
    // Torque's qsub wrappers write job output to the directory they run in: the logs, not the repo.
    this.add('pbs', getBatchSystem('pbs', { pbsFlavor: 'torque' }), { binDirectory: torqueBin, cwd: logs });
    this.add('lsf', getBatchSystem('lsf'), { binDirectory: LSF_SHIM, env: { LSF_ENVDIR: logs } });
    this.add('sge', getBatchSystem('sge'), { binDirectory: '/usr/bin' });
  }

  get(kind: BatchKind): RealSetup {
    return this.setups.get(kind)!;
  }

  /** Job options for `kind`; the worker command prints its arguments and sleeps like a worker. */
  options(kind: BatchKind, extra: Partial<JobQueueOptions> = {}): JobQueueOptions {
    return {
      cores: 1,
      memory: '100MB',
      walltime: '00:05:00',
      name: `drover-${kind}`,
      logDirectory: this.logs,
      workerCommand: ['bash', '-c', 'echo "worker args: $*"; sleep 300', 'drover'],
      lsfUnitsForLimits: 'KB',
      ...extra,
    };
  }

  /** Renders and submits a job through the tracker of `kind`. */
  async submit(kind: BatchKind, extra: Partial<JobQueueOptions> = {}): Promise<TrackedJob> {
    const s = this.get(kind);
    const { script, job } = prepareJobScript(kind, this.options(kind, extra), {
      connection: this.connection,
      system: s.system,
      workerName: `${kind}-0`,
    });
    const tracked = await s.tracker.submit(job, script);
    this.remember(kind, tracked.jobId);
    return tracked;
  }

  /** Records a job submitted outside the trackers, for the final "nothing left" check. */
  remember(kind: BatchKind, jobId: string): void {
    (kind === 'sge' ? this.submittedSge : this.submittedSlurm).push(jobId.split('.')[0]!);
  }

  /** Cancels every live job of every tracker. */
  async cancelAll(): Promise<void> {
    for (const s of this.setups.values()) await s.tracker.cancel();
  }

  private add(kind: BatchKind, system: BatchSystem, commands: CommandOptions): void {
    const tracker = new JobTracker({ system, commandOptions: commands, cluster: 'real-test' });
    this.setups.set(kind, { kind, system, commands, tracker });
  }
}

/** A file's text, or '' while it does not exist yet. */
export function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
