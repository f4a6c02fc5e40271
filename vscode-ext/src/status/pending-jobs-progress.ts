import * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import type { DroverService } from '../manager/drover-service';
import { pendingSummary } from '../tree/job-text';
import { workersOfJobs } from '../commands/scale-target';

/**
 * A progress notification while batch jobs wait in the queue ("2 jobs pending: Resources, est.
 * start 14:02"). Cancelling it withdraws the pending jobs: each cluster is scaled to the jobs that
 * already run.
 */
export class PendingJobsProgress implements vscode.Disposable {
  private showing = false;
  private readonly subscription: vscode.Disposable;
  private update: (() => void) | null = null;

  constructor(private readonly service: DroverService) {
    this.subscription = service.store.onDidChange(() => this.changed());
  }

  /** The notification's text now, or null when no job is pending. */
  message(): string | null {
    const reasons = this.pendingClusters().flatMap((c) => c.jobs!.pendingReasons);
    return reasons.length > 0 ? pendingSummary(reasons) : null;
  }

  private pendingClusters(): ClusterModel[] {
    return this.service.store.all().filter((c) => c.state === 'running' && (c.jobs?.pending ?? 0) > 0);
  }

  private changed(): void {
    if (this.showing) return this.update?.();
    if (this.message() === null) return;
    this.showing = true;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Drover', cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          const finish = (): void => {
            this.update = null;
            this.showing = false;
            resolve();
          };
          this.update = () => {
            const text = this.message();
            if (text === null) finish();
            else progress.report({ message: text });
          };
          this.update();
          token.onCancellationRequested(() => {
            void this.withdraw();
            finish();
          });
        }),
    );
  }

  /** Scales every cluster with pending jobs to its running jobs. */
  private async withdraw(): Promise<void> {
    const client = await this.service.client();
    for (const cluster of this.pendingClusters()) {
      this.service.output.info(`withdrawing the pending jobs of ${cluster.name}`);
      await client
        .scale(cluster.name, workersOfJobs(cluster, cluster.jobs!.running))
        .catch((e: Error) => this.service.output.error(e.message));
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.update = null;
  }
}
