import { join } from 'node:path';
import { ProcessRecordFile } from '../util/process-record-file.js';
import type { ClusterSpec } from './api-types.js';
import type { ManagedCluster } from './managed-cluster.js';

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
  private readonly file: ProcessRecordFile<ClusterRecord>;
  private records = new Map<string, ClusterRecord>();

  constructor(stateDirectory: string, pid: number = process.pid) {
    this.file = new ProcessRecordFile(join(stateDirectory, 'clusters'), 'clusters', pid);
  }

  /** The file of this process. */
  get path(): string {
    return this.file.path;
  }

  /** Remembers or updates a cluster (written at once, atomically). */
  put(record: ClusterRecord): Promise<void> {
    this.records.set(record.name, record);
    return this.file.write([...this.records.values()]);
  }

  /** Forgets a cluster that was closed. */
  remove(name: string): Promise<void> {
    this.records.delete(name);
    return this.file.write([...this.records.values()]);
  }

  /** Managers on this host whose process is gone, with their clusters. */
  async findDead(): Promise<DeadManager[]> {
    return (await this.file.findDead()).map(({ file, pid, records }) => ({ file, pid, clusters: records }));
  }

  /** Deletes a dead manager's file once its clusters were taken over. */
  async forget(dead: DeadManager): Promise<void> {
    await this.file.forget(dead.file);
  }
}

/** What is remembered of a running cluster: its spec and, for a batch cluster, its scheduler's port and token. */
export function clusterRecord(managed: ManagedCluster): ClusterRecord {
  const cluster = managed.cluster;
  return {
    name: managed.name,
    spec: managed.spec,
    createdAt: new Date(managed.createdAt).toISOString(),
    ...(cluster ? { schedulerAddress: cluster.schedulerAddress } : {}),
    ...(cluster && managed.spec.kind !== 'local'
      ? { scheduler: { port: Number(new URL(cluster.schedulerAddress).port), token: cluster.token } }
      : {}),
  };
}
