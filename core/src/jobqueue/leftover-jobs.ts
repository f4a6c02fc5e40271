import { join } from 'node:path';
import { ProcessRecordFile } from '../util/process-record-file.js';
import { userStateDirectory } from './default-paths.js';
import type { BatchKind } from './options.js';

/** One submitted job, as remembered in case its launcher dies. */
export interface LeftoverJob {
  readonly jobId: string;
  readonly kind: BatchKind;
  readonly cluster: string;
  readonly submittedAt: string;
  /** Where the batch commands were found, if not on PATH. */
  readonly binDirectory?: string;
}

/** A dead launcher's file and the jobs it still had. */
export interface OrphanedJobs {
  readonly file: string;
  readonly pid: number;
  readonly jobs: readonly LeftoverJob[];
}

/**
 * The jobs one launcher process has in the queues, kept in
 * `<state dir>/jobs/<host>-<pid>.json` so a later start can find and cancel the jobs of a launcher
 * that died without closing its clusters.
 *
 * #### Notes
 * One file per process, so launchers never write the same file. A launcher counts as dead when no
 * process has its pid on this host; a reused pid hides orphans until that process ends too.
 */
export class LeftoverJobsFile {
  private readonly file: ProcessRecordFile<LeftoverJob>;
  private jobs = new Map<string, LeftoverJob>();

  constructor(stateDirectory: string = userStateDirectory(), pid: number = process.pid) {
    this.file = new ProcessRecordFile(join(stateDirectory, 'jobs'), 'jobs', pid);
  }

  /** The file of this process. */
  get path(): string {
    return this.file.path;
  }

  /** Remembers a job (written at once, atomically). */
  async add(job: LeftoverJob): Promise<void> {
    this.jobs.set(job.jobId, job);
    await this.file.write(this.list());
  }

  /** Forgets jobs that ended or were cancelled; the file goes when it is empty. */
  async remove(jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) this.jobs.delete(id);
    await this.file.write(this.list());
  }

  /** The jobs this launcher remembers. */
  list(): LeftoverJob[] {
    return [...this.jobs.values()];
  }

  /** Files of launchers on this host whose process is gone. */
  async findOrphans(): Promise<OrphanedJobs[]> {
    return (await this.file.findDead()).map(({ file, pid, records }) => ({ file, pid, jobs: records }));
  }

  /** Deletes a dead launcher's file once its jobs were cancelled. */
  async forget(orphans: OrphanedJobs): Promise<void> {
    await this.file.forget(orphans.file);
  }
}
