import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { processExists, writePrivateJson } from '../util/private-file.js';
import { hostname } from 'node:os';
import { join } from 'node:path';
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
  readonly directory: string;
  readonly path: string;
  private jobs = new Map<string, LeftoverJob>();

  constructor(
    stateDirectory: string = userStateDirectory(),
    readonly pid: number = process.pid,
  ) {
    this.directory = join(stateDirectory, 'jobs');
    this.path = join(this.directory, `${hostname()}-${pid}.json`);
  }

  /** Remembers a job (written at once, atomically). */
  async add(job: LeftoverJob): Promise<void> {
    this.jobs.set(job.jobId, job);
    await this.save();
  }

  /** Forgets jobs that ended or were cancelled; the file goes when it is empty. */
  async remove(jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) this.jobs.delete(id);
    await this.save();
  }

  /** The jobs this launcher remembers. */
  list(): LeftoverJob[] {
    return [...this.jobs.values()];
  }

  /** Files of launchers on this host whose process is gone. */
  async findOrphans(): Promise<OrphanedJobs[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return []; // no launcher ever wrote here
    }
    const prefix = `${hostname()}-`;
    const found: OrphanedJobs[] = [];
    for (const name of names) {
      const m = name.startsWith(prefix) ? /^(\d+)\.json$/.exec(name.slice(prefix.length)) : null;
      if (!m || Number(m[1]) === this.pid || processExists(Number(m[1]))) continue;
      const file = join(this.directory, name);
      try {
        const jobs = JSON.parse(await readFile(file, 'utf8')) as { jobs?: LeftoverJob[] };
        found.push({ file, pid: Number(m[1]), jobs: Array.isArray(jobs.jobs) ? jobs.jobs : [] });
      } catch {
        found.push({ file, pid: Number(m[1]), jobs: [] }); // half-written by a crash: nothing to cancel
      }
    }
    return found;
  }

  /** Deletes a dead launcher's file once its jobs were cancelled. */
  async forget(orphans: OrphanedJobs): Promise<void> {
    await rm(orphans.file, { force: true });
  }

  private async save(): Promise<void> {
    if (this.jobs.size === 0) {
      await rm(this.path, { force: true });
      return;
    }
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await writePrivateJson(this.path, { pid: this.pid, jobs: this.list() });
  }
}
