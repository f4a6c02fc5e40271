import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processExists, writePrivateJson } from './private-file.js';

/** The records a process on this host left when it died. */
export interface DeadProcessRecords<T> {
  readonly file: string;
  readonly pid: number;
  readonly records: readonly T[];
}

/**
 * A list of records one process keeps in `<directory>/<host>-<pid>.json` (mode 0600, written
 * atomically), as `{ "pid": …, "<field>": [...] }`, so that a later process finds those of a
 * process that died.
 *
 * #### Notes
 * One file per process, so two processes never write the same file. A process counts as dead when
 * no process has its pid on this host; a reused pid hides its records until that process ends too.
 * Writes are queued so the file always ends with the latest list; an empty list removes the file.
 */
export class ProcessRecordFile<T> {
  readonly path: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly directory: string,
    /** The key of the list in the file (`jobs`, `clusters`). */
    private readonly field: string,
    readonly pid: number = process.pid,
  ) {
    this.path = join(directory, `${hostname()}-${pid}.json`);
  }

  /** Replaces this process's records (none: the file goes). */
  write(records: readonly T[]): Promise<void> {
    const snapshot = [...records];
    this.writing = this.writing.then(() => this.writeNow(snapshot));
    return this.writing;
  }

  /** The files of processes on this host that are gone, with their records. */
  async findDead(): Promise<DeadProcessRecords<T>[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return []; // no process ever wrote here
    }
    const prefix = `${hostname()}-`;
    const dead: DeadProcessRecords<T>[] = [];
    for (const name of names) {
      const m = name.startsWith(prefix) ? /^(\d+)\.json$/.exec(name.slice(prefix.length)) : null;
      if (!m || Number(m[1]) === this.pid || processExists(Number(m[1]))) continue;
      const file = join(this.directory, name);
      let records: T[] = [];
      try {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
        if (Array.isArray(parsed[this.field])) records = parsed[this.field] as T[];
      } catch {
        // half-written by a crash: nothing to take over
      }
      dead.push({ file, pid: Number(m[1]), records });
    }
    return dead;
  }

  /** Deletes a dead process's file once its records were dealt with. */
  async forget(file: string): Promise<void> {
    await rm(file, { force: true });
  }

  private async writeNow(records: T[]): Promise<void> {
    if (records.length === 0) {
      await rm(this.path, { force: true });
      return;
    }
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await writePrivateJson(this.path, { pid: this.pid, [this.field]: records });
  }
}
