import * as vscode from 'vscode';
import { EventSocket } from '../manager/event-socket';
import type { ManagerClient } from '../manager/manager-client';
import { errorReply } from '../manager/errors';
import type { HostHook, HostMessage, ManagerOperation, WebviewMessage } from './messages';

/** What a panel lets its webview do, and what it does with the rest of the messages. */
export interface BridgeOptions {
  client: () => Promise<ManagerClient>;
  /** Manager operations this webview may call; anything else is refused. */
  operations: readonly ManagerOperation[];
  output: vscode.LogOutputChannel;
  /** Called after a manager call succeeded (e.g. a cluster was created). */
  onAnswered?: (operation: ManagerOperation, value: unknown) => void;
  /** Messages the bridge does not answer itself (ready, subscribe, specChanged, stats). */
  onMessage: (message: WebviewMessage) => void;
}

/**
 * Answers a webview's `request` and `host` messages: manager calls through the extension host's
 * client (the webview never sees the manager's URL or token), files and clipboard through VS Code.
 */
export class WebviewBridge implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private events: EventSocket | null = null;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly options: BridgeOptions,
  ) {
    this.subscription = webview.onDidReceiveMessage((m: WebviewMessage) => void this.receive(m));
  }

  /** Sends a typed message to the webview. */
  post(message: HostMessage): Thenable<boolean> {
    return this.webview.postMessage(message);
  }

  private async receive(message: WebviewMessage): Promise<void> {
    if (message.type === 'request') {
      if (!this.options.operations.includes(message.operation)) {
        return void this.post({
          type: 'reply',
          id: message.id,
          ok: false,
          error: {
            message: `this view may not call ${message.operation}`,
            code: 'refused',
            status: 403,
          },
        });
      }
      try {
        const client = await this.options.client();
        const method = (client as unknown as Record<string, unknown>)[message.operation];
        if (typeof method !== 'function') throw new Error(`${message.operation} is not available in VS Code`);
        const value = await method.apply(client, message.args);
        void this.post({ type: 'reply', id: message.id, ok: true, value: value ?? null });
        this.options.onAnswered?.(message.operation, value);
      } catch (error) {
        void this.post({ type: 'reply', id: message.id, ok: false, error: errorReply(error) });
      }
    } else if (message.type === 'host') {
      try {
        const value = await this.hook(message.hook, message.args);
        void this.post({ type: 'reply', id: message.id, ok: true, value: value ?? null });
      } catch (error) {
        void this.post({ type: 'reply', id: message.id, ok: false, error: errorReply(error) });
      }
    } else {
      if (message.type === 'subscribe') await this.subscribe(message.cluster);
      this.options.onMessage(message);
    }
  }

  private async hook(hook: HostHook, args: unknown[]): Promise<unknown> {
    const text = (i: number): string => String(args[i] ?? '');
    switch (hook) {
      case 'copyText':
        return vscode.env.clipboard.writeText(text(0));
      case 'saveFile': {
        const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd());
        const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(base, text(0)) });
        if (target) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text(1)));
        return target?.fsPath ?? null;
      }
      case 'openDocument': {
        const doc = await vscode.workspace.openTextDocument({
          content: text(1),
          language: text(2) || 'shellscript',
        });
        await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
        return null;
      }
      case 'notify':
        this.options.output.info(text(0));
        return void (text(1) === 'error'
          ? vscode.window.showErrorMessage(text(0))
          : vscode.window.showInformationMessage(text(0)));
    }
  }

  /** Forwards the manager's events to the webview from a socket of its own, on the cluster it asks for. */
  private async subscribe(cluster: string | null): Promise<void> {
    const client = await this.options.client();
    this.events ??= new EventSocket(
      client.endpoint,
      (event) => void this.post({ type: 'event', event }),
      (connected) => void this.post({ type: 'connection', connected }),
    );
    this.events.subscribe(cluster);
  }

  dispose(): void {
    this.events?.dispose();
    this.subscription.dispose();
  }
}
