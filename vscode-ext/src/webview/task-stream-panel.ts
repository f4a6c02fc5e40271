import * as vscode from 'vscode';
import type { DroverService } from '../manager/drover-service';
import type { TaskStreamState, WebviewMessage } from './messages';
import { WebviewBridge } from './webview-bridge';
import { webviewHtml, webviewOptions } from './webview-html';

/** Frames the webview reported drawing, with when it said so (for the benchmark and tests). */
export interface FrameReport {
  frames: number;
  rectsDrawn: number;
  at: number;
}

/**
 * The task stream, progress and workers of one cluster in a webview panel, fed by its own event
 * socket subscribed to that cluster. Restored after a window reload by {@link TaskStreamSerializer}.
 */
export class TaskStreamPanel implements vscode.Disposable {
  static readonly viewType = 'drover.taskStream';
  private static current: TaskStreamPanel | null = null;
  /** The webview's latest frame report. */
  lastFrames: FrameReport | null = null;
  private cluster: string | null = null;
  private readonly bridge: WebviewBridge;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens (or reveals) the panel on `cluster`. */
  static show(context: vscode.ExtensionContext, service: DroverService, cluster: string): TaskStreamPanel {
    if (!TaskStreamPanel.current) {
      const panel = vscode.window.createWebviewPanel(
        TaskStreamPanel.viewType,
        'Drover Task Stream',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        webviewOptions(context.extensionUri),
      );
      TaskStreamPanel.current = new TaskStreamPanel(panel, context, service);
    } else TaskStreamPanel.current.panel.reveal(undefined, true);
    TaskStreamPanel.current.watch(cluster);
    return TaskStreamPanel.current;
  }

  /** The open panel, if any. */
  static get open(): TaskStreamPanel | null {
    return TaskStreamPanel.current;
  }

  /** Takes over a panel VS Code restored after a reload; the webview restores its own cluster. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, service: DroverService): void {
    TaskStreamPanel.current?.dispose();
    TaskStreamPanel.current = new TaskStreamPanel(panel, context, service);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    service: DroverService,
  ) {
    panel.webview.options = webviewOptions(context.extensionUri);
    this.bridge = new WebviewBridge(panel.webview, {
      client: () => service.client(),
      operations: ['spec', 'profiles', 'jobs', 'metrics', 'clusters'],
      output: service.output,
      onMessage: (m) => this.receive(m),
    });
    panel.webview.html = webviewHtml(
      panel.webview,
      context.extensionUri,
      'task-stream.js',
      'Drover Task Stream',
    );
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
  }

  /** Shows another cluster. */
  watch(cluster: string): void {
    this.cluster = cluster;
    this.panel.title = `Drover: ${cluster}`;
    void this.bridge.post({ type: 'watch', cluster });
  }

  private receive(message: WebviewMessage): void {
    // Messages posted before the page loaded are lost: tell it again what to show once it is ready.
    if (message.type === 'ready' && this.cluster !== null)
      void this.bridge.post({ type: 'watch', cluster: this.cluster });
    if (message.type === 'stats')
      this.lastFrames = { frames: message.frames, rectsDrawn: message.rectsDrawn, at: Date.now() };
    if (message.type !== 'subscribe') return;
    // A page that starts empty asks for nothing; the host's choice (sent again on 'ready') stands.
    // A restored page asks for the cluster it showed before the reload.
    if (message.cluster === null) return;
    this.cluster = message.cluster;
    this.panel.title = `Drover: ${message.cluster}`;
  }

  /** The cluster shown now. */
  get watched(): string | null {
    return this.cluster;
  }

  dispose(): void {
    if (TaskStreamPanel.current === this) TaskStreamPanel.current = null;
    this.bridge.dispose();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Brings the task-stream panel back after a window reload, on the cluster it showed. */
export class TaskStreamSerializer implements vscode.WebviewPanelSerializer<TaskStreamState> {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly service: DroverService,
  ) {}

  async deserializeWebviewPanel(
    panel: vscode.WebviewPanel,
    state: TaskStreamState | undefined,
  ): Promise<void> {
    TaskStreamPanel.revive(panel, this.context, this.service);
    if (state?.cluster) TaskStreamPanel.open?.watch(state.cluster);
  }
}
