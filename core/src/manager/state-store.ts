import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { processExists, writePrivateJson } from '../util/private-file.js';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ClusterSpec } from './api-types.js';

/** A cluster as remembered on disk: enough to start it again. */
export interface ClusterRecord {
  readonly name: string;
  /** The spec with the current size and adaptive bounds. */
  readonly spec: ClusterSpec;
  readonly createdAt: string;
  readonly schedulerAddress?: string;
  /** A batch cluster's scheduler port and token, so its jobs' workers can join the next manager. */
  readonly scheduler?: { readonly port: number; readonly token: string };
}

/** The records of a manager that died without closing its clusters. */
export interface DeadManager {
  readonly file: string;
  readonly pid: number;
  readonly clusters: readonly ClusterRecord[];
}

/**
 * The clusters of one manager process, kept in `<state dir>/clusters/<host>-<pid>.json` (mode
 * 0600), so that the next manager can find the clusters of one that died and bring them back.
 *
 * #### Notes
 * One file per manager (like the job queue's leftover-jobs files): two managers of one user — two
 * Jupyter servers, a VS Code window — never write the same file, and a manager whose process is
 * alive keeps its clusters.
 */
export class ClusterStateStore {
  readonly directory: string;
  readonly path: string;
  private records = new Map<string, ClusterRecord>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    stateDirectory: string,
    readonly pid: number = process.pid,
  ) {
    this.directory = join(stateDirectory, 'clusters');
    this.path = join(this.directory, `${hostname()}-${pid}.json`);
  }

  /** Remembers or updates a cluster (written at once, atomically). */
  put(record: ClusterRecord): Promise<void> {
    this.records.set(record.name, record);
    return this.save();
  }

  /** Forgets a cluster that was closed. */
  remove(name: string): Promise<void> {
    this.records.delete(name);
    return this.save();
  }

  /** Managers on this host whose process is gone, with their clusters. */
  async findDead(): Promise<DeadManager[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return [];
    }
    const prefix = `${hostname()}-`;
    const dead: DeadManager[] = [];
    for (const name of names) {
      const m = name.startsWith(prefix) ? /^(\d+)\.json$/.exec(name.slice(prefix.length)) : null;
      if (!m || Number(m[1]) === this.pid || processExists(Number(m[1]))) continue;
      const file = join(this.directory, name);
      let clusters: ClusterRecord[] = [];
      try {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as { clusters?: unknown };
        if (Array.isArray(parsed.clusters)) clusters = parsed.clusters as ClusterRecord[];
      } catch {
        // half-written by a crash: nothing to bring back
      }
      dead.push({ file, pid: Number(m[1]), clusters });
    }
    return dead;
  }

  /** Deletes a dead manager's file once its clusters were taken over. */
  async forget(dead: DeadManager): Promise<void> {
    await rm(dead.file, { force: true });
  }

  /** Writes are queued so that the file always holds the latest records. */
  private save(): Promise<void> {
    const snapshot = [...this.records.values()];
    this.writing = this.writing.then(() => this.write(snapshot));
    return this.writing;
  }

  private async write(clusters: ClusterRecord[]): Promise<void> {
    if (clusters.length === 0) {
      await rm(this.path, { force: true });
      return;
    }
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await writePrivateJson(this.path, { pid: this.pid, clusters });
  }
}
