import * as vscode from 'vscode';
import type { ClusterModel, JobModel, WorkerModel } from '@drover/core/ui';
import type { DroverService } from '../manager/drover-service';
import { jobDescription } from './job-text';

/** A row of the Drover tree: a cluster, one of its batch jobs, or a worker. */
export type DroverNode =
  | { type: 'cluster'; name: string }
  | { type: 'job'; cluster: string; job: JobModel }
  | { type: 'worker'; cluster: string; worker: WorkerModel };

/**
 * Clusters → jobs (state, pending reason, walltime left) → workers (slots, memory, current tasks);
 * a local cluster's workers sit directly under it. Names are labels (plain text), never markup.
 */
export class ClusterTree implements vscode.TreeDataProvider<DroverNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DroverNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly jobsFetched = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: DroverService) {
    this.subscription = service.store.onDidChange(() => this.changed.fire(undefined));
  }

  /** Re-reads everything from the manager. */
  refresh(): void {
    this.jobsFetched.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: DroverNode): vscode.TreeItem {
    if (node.type === 'cluster') return clusterItem(this.service.store.get(node.name), node.name);
    if (node.type === 'job') {
      const item = new vscode.TreeItem(`job ${node.job.jobId}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `job:${node.cluster}:${node.job.jobId}`;
      item.description = jobDescription(node.job, this.service.store.get(node.cluster));
      item.tooltip = `${item.description}\nsubmitted ${node.job.submittedAt}`;
      item.iconPath = new vscode.ThemeIcon(node.job.state === 'running' ? 'vm-running' : 'watch');
      item.contextValue = 'job';
      return item;
    }
    const w = node.worker;
    const item = new vscode.TreeItem(w.name, vscode.TreeItemCollapsibleState.None);
    item.id = `worker:${node.cluster}:${w.name}`;
    const memory = w.memoryLimit ? `${mib(w.rss)}/${mib(w.memoryLimit)}` : mib(w.rss);
    item.description = `${w.nthreads} slot${w.nthreads === 1 ? '' : 's'} · ${memory} · ${w.executing} running`;
    item.tooltip = `${w.name} on ${w.host}${w.jobId ? ` (job ${w.jobId})` : ''}, ${w.status}`;
    item.iconPath = new vscode.ThemeIcon('server-process');
    item.contextValue = 'worker';
    return item;
  }

  async getChildren(node?: DroverNode): Promise<DroverNode[]> {
    const store = this.service.store;
    if (!node) return store.all().map((c) => ({ type: 'cluster', name: c.name }));
    if (node.type === 'worker') return [];
    const client = await this.service.client();
    const cluster = node.type === 'cluster' ? node.name : node.cluster;
    const model = store.get(cluster);
    if (node.type === 'cluster' && model?.jobs) {
      if (!this.jobsFetched.has(cluster)) {
        this.jobsFetched.add(cluster);
        store.setJobs(cluster, await client.jobs(cluster).catch(() => []));
      }
      return store.liveJobs(cluster).map((job) => ({ type: 'job', cluster, job }));
    }
    const { workers } = await client.metrics(cluster).catch(() => ({ workers: [] as WorkerModel[] }));
    const jobId = node.type === 'job' ? node.job.jobId : null;
    return workers
      .filter((w) => jobId === null || w.jobId === jobId)
      .map((worker) => ({ type: 'worker', cluster, worker }));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function clusterItem(model: ClusterModel | undefined, name: string): vscode.TreeItem {
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `cluster:${name}`;
  if (!model) return item;
  const running = model.tasks.byState.processing ?? 0;
  item.description = `${model.kind} · ${model.state} · ${model.workers.connected}/${model.workers.requested} workers · ${running} running`;
  item.tooltip = model.error ? `${model.state}: ${model.error}` : `${model.kind} cluster, ${model.state}`;
  item.iconPath = new vscode.ThemeIcon(
    model.state === 'running' ? 'pass' : model.state === 'failed' ? 'error' : 'loading~spin',
  );
  item.contextValue = model.jobs ? 'cluster.batch' : 'cluster.local';
  return item;
}

function mib(bytes: number | null): string {
  return bytes === null ? '–' : `${Math.round(bytes / 2 ** 20)} MiB`;
}
