import * as vscode from 'vscode';
import type { ClusterStore } from '../manager/cluster-store';

/** The active cluster's workers and running tasks in the status bar; a click opens its task stream. */
export class ClusterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'drover.cluster',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ClusterStore) {
    this.item.name = 'Drover cluster';
    this.item.command = 'drover.showTaskStream';
    this.subscription = store.onDidChange(() => this.update());
    this.update();
  }

  /** The text shown now (also read by tests). */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const cluster = this.store.current();
    if (!cluster) {
      this.item.hide();
      this.item.text = '';
      return;
    }
    const running = cluster.tasks.byState.processing ?? 0;
    this.item.text = `$(server-environment) ${cluster.name}: ${cluster.workers.connected} workers, ${running} running`;
    this.item.tooltip = `Drover cluster ${cluster.name} (${cluster.kind}, ${cluster.state}): click for its task stream`;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
