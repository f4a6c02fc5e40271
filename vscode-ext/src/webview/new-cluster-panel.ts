import * as vscode from 'vscode';
import type { ClusterModel, ClusterSpec } from '@drover/core/ui';
import type { DroverService } from '../manager/drover-service';
import type { WebviewMessage } from './messages';
import { WebviewBridge } from './webview-bridge';
import { webviewHtml, webviewOptions } from './webview-html';

/**
 * The New Cluster panel: the shared form and live preview in a webview. One at a time; its spec is
 * followed by the job-script document and offered to Preview/Export Job Script.
 */
export class NewClusterPanel implements vscode.Disposable {
  static readonly viewType = 'drover.newCluster';
  private static current: NewClusterPanel | null = null;
  /** Fires with the form's spec after every change. */
  static readonly specListeners = new Set<(spec: ClusterSpec) => void>();
  /** The form's spec now (null before the form has loaded). */
  spec: ClusterSpec | null = null;
  private readonly bridge: WebviewBridge;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens (or reveals) the panel, loading `spec` into the form when given. */
  static show(
    context: vscode.ExtensionContext,
    service: DroverService,
    onCreated: (cluster: ClusterModel) => void,
    spec?: ClusterSpec,
  ): NewClusterPanel {
    if (NewClusterPanel.current) {
      NewClusterPanel.current.panel.reveal();
      if (spec) void NewClusterPanel.current.bridge.post({ type: 'load', spec });
      return NewClusterPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      NewClusterPanel.viewType,
      'New Drover Cluster',
      vscode.ViewColumn.Active,
      webviewOptions(context.extensionUri),
    );
    NewClusterPanel.current = new NewClusterPanel(panel, context, service, onCreated, spec);
    return NewClusterPanel.current;
  }

  /** The open panel, if any. */
  static get open(): NewClusterPanel | null {
    return NewClusterPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    service: DroverService,
    onCreated: (cluster: ClusterModel) => void,
    private readonly initial?: ClusterSpec,
  ) {
    this.bridge = new WebviewBridge(panel.webview, {
      client: () => service.client(),
      operations: ['spec', 'render', 'dryRun', 'create', 'export', 'profiles', 'saveProfile'],
      output: service.output,
      onAnswered: (operation, value) => {
        if (operation === 'create') onCreated(value as ClusterModel);
      },
      onMessage: (m) => this.receive(m),
    });
    panel.webview.html = webviewHtml(
      panel.webview,
      context.extensionUri,
      'new-cluster.js',
      'New Drover Cluster',
    );
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
  }

  private receive(message: WebviewMessage): void {
    if (message.type === 'ready' && this.initial) void this.bridge.post({ type: 'load', spec: this.initial });
    if (message.type === 'specChanged') {
      this.spec = message.spec;
      for (const listener of NewClusterPanel.specListeners) listener(message.spec);
    }
  }

  dispose(): void {
    if (NewClusterPanel.current === this) NewClusterPanel.current = null;
    this.bridge.dispose();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
