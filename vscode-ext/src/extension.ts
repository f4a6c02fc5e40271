// Drover for VS Code: wires the manager, the commands, the tree, the status bar and the webviews.
// Each feature lives in its own file; this one only connects them.
import * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import { registerClientCodeCommands } from './commands/client-code-commands';
import { registerClusterCommands } from './commands/cluster-commands';
import { JobScriptDocument } from './commands/job-script-document';
import { registerJobScriptCommands } from './commands/job-script-commands';
import { registerLogCommands } from './commands/log-commands';
import { registerScaleCommands } from './commands/scale-commands';
import { DroverService } from './manager/drover-service';
import { readSettings } from './settings/settings';
import { ClusterStatusBar } from './status/cluster-status-bar';
import { PendingJobsProgress } from './status/pending-jobs-progress';
import { ClusterTree } from './tree/cluster-tree';
import { NewClusterPanel } from './webview/new-cluster-panel';
import { TaskStreamPanel, TaskStreamSerializer } from './webview/task-stream-panel';

/** What the extension offers other extensions (and its tests) through `exports`. */
export interface DroverExtensionApi {
  service: DroverService;
  tree: ClusterTree;
  statusBar: ClusterStatusBar;
  pending: PendingJobsProgress;
  jobScript: JobScriptDocument;
  /** The open panels, if any. */
  panels(): { newCluster: NewClusterPanel | null; taskStream: TaskStreamPanel | null };
}

export function activate(context: vscode.ExtensionContext): DroverExtensionApi {
  const activateStart = performance.now();
  const output = vscode.window.createOutputChannel('Drover', { log: true });
  const drover = new DroverService(context, output);
  const tree = new ClusterTree(drover);
  const statusBar = new ClusterStatusBar(drover.store);
  const pending = new PendingJobsProgress(drover);
  const jobScript = new JobScriptDocument(drover);
  const started = (cluster: ClusterModel): void => {
    drover.store.upsert(cluster);
    drover.store.active = cluster.name;
    output.info(`started ${cluster.name} (${cluster.kind})`);
    if (readSettings().autoOpenTaskStream) TaskStreamPanel.show(context, drover, cluster.name);
  };
  const followForm = (spec: Parameters<JobScriptDocument['follow']>[0]): void => void jobScript.follow(spec);
  NewClusterPanel.specListeners.add(followForm);
  const commandContext = { extension: context, service: drover, started };
  context.subscriptions.push(
    output,
    drover,
    tree,
    statusBar,
    pending,
    jobScript,
    vscode.window.createTreeView('drover.clusters', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.window.registerWebviewPanelSerializer(
      TaskStreamPanel.viewType,
      new TaskStreamSerializer(context, drover),
    ),
    vscode.commands.registerCommand('drover.refresh', () => tree.refresh()),
    ...registerClusterCommands(commandContext),
    ...registerScaleCommands(drover),
    ...registerJobScriptCommands(drover, jobScript),
    ...registerClientCodeCommands(drover),
    ...registerLogCommands(drover),
    { dispose: () => NewClusterPanel.specListeners.delete(followForm) },
    { dispose: () => NewClusterPanel.open?.dispose() },
    { dispose: () => TaskStreamPanel.open?.dispose() },
  );
  // A manager already running (this window's before a reload, or another window's) is picked up
  // at once; none is started until Drover is used.
  void drover.reattach();
  const loadStart = (globalThis as { __droverLoadStart?: number }).__droverLoadStart ?? activateStart;
  output.info(
    `activated in ${(performance.now() - loadStart).toFixed(1)} ms (loading ${(activateStart - loadStart).toFixed(1)} ms)`,
  );
  return {
    service: drover,
    tree,
    statusBar,
    pending,
    jobScript,
    panels: () => ({ newCluster: NewClusterPanel.open, taskStream: TaskStreamPanel.open }),
  };
}

/** Everything is in `context.subscriptions`, which VS Code disposes; releasing the manager lease is one of them. */
export function deactivate(): void {}
