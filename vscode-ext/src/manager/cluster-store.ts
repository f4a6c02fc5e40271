import * as vscode from 'vscode';
import type { ClusterModel, JobModel, ServerEvent } from '@drover/core/ui';

/**
 * The clusters and batch jobs the manager reports, kept current from its event socket, with one
 * change event the tree, the status bar and the pending-jobs notification listen to.
 */
export class ClusterStore implements vscode.Disposable {
  private readonly clusters = new Map<string, ClusterModel>();
  private readonly jobs = new Map<string, Map<string, JobModel>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after any cluster or job changed. */
  readonly onDidChange = this.changed.event;
  /** The cluster commands act on when none is given: the last one started or chosen. */
  active: string | null = null;

  /** Applies one event of the manager's stream. */
  apply(event: ServerEvent): void {
    switch (event.type) {
      case 'hello':
        this.clusters.clear();
        for (const cluster of event.clusters) this.clusters.set(cluster.name, cluster);
        for (const name of [...this.jobs.keys()]) if (!this.clusters.has(name)) this.jobs.delete(name);
        break;
      case 'cluster':
        this.clusters.set(event.cluster.name, event.cluster);
        break;
      case 'cluster-removed':
        this.clusters.delete(event.name);
        this.jobs.delete(event.name);
        if (this.active === event.name) this.active = null;
        break;
      case 'job': {
        const jobs = this.jobs.get(event.cluster) ?? new Map<string, JobModel>();
        jobs.set(event.job.jobId, event.job);
        this.jobs.set(event.cluster, jobs);
        break;
      }
      default:
        return;
    }
    this.changed.fire();
  }

  /** Replaces a cluster's jobs with a fresh list from the manager. */
  setJobs(cluster: string, jobs: readonly JobModel[]): void {
    this.jobs.set(cluster, new Map(jobs.map((j) => [j.jobId, j])));
    this.changed.fire();
  }

  /** Records a cluster the manager just answered with (before its event arrives). */
  upsert(cluster: ClusterModel): void {
    this.clusters.set(cluster.name, cluster);
    this.changed.fire();
  }

  all(): ClusterModel[] {
    return [...this.clusters.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  get(name: string): ClusterModel | undefined {
    return this.clusters.get(name);
  }

  /** The jobs of a cluster still in the queue or running, oldest first. */
  liveJobs(cluster: string): JobModel[] {
    return [...(this.jobs.get(cluster)?.values() ?? [])]
      .filter((j) => j.state === 'pending' || j.state === 'running')
      .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  }

  /** The active cluster if it still exists, else the newest one. */
  current(): ClusterModel | undefined {
    return (this.active ? this.clusters.get(this.active) : undefined) ?? this.all().at(-1);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
