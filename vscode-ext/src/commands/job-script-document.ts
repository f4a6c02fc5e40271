import * as vscode from 'vscode';
import type { ClusterSpec } from '@drover/core/ui';
import type { DroverService } from '../manager/drover-service';
import { describeError } from '../manager/errors';

/**
 * The live job-script document: an untitled `shellscript` editor that shows the rendered script of
 * a spec and follows every change of the New Cluster form.
 */
export class JobScriptDocument implements vscode.Disposable {
  private document: vscode.TextDocument | null = null;
  private sequence = 0;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: DroverService) {
    this.subscription = vscode.workspace.onDidCloseTextDocument((d) => {
      if (d === this.document) this.document = null;
    });
  }

  /** Opens (or reuses) the document showing `spec`'s script. */
  async show(spec: ClusterSpec): Promise<vscode.TextDocument> {
    const text = await this.render(spec);
    if (!this.document) {
      this.document = await vscode.workspace.openTextDocument({ language: 'shellscript', content: text });
    } else await this.replace(text);
    await vscode.window.showTextDocument(this.document, {
      viewColumn: vscode.ViewColumn.Beside,
      preview: false,
      preserveFocus: true,
    });
    return this.document;
  }

  /** Follows a changed spec if the document is open; an invalid spec leaves the last script. */
  async follow(spec: ClusterSpec): Promise<void> {
    if (!this.document) return;
    const sequence = ++this.sequence;
    try {
      const text = await this.render(spec);
      if (sequence === this.sequence) await this.replace(text);
    } catch {
      // the form shows the field's error; the document keeps the last valid script
    }
  }

  /** The document when open. */
  get current(): vscode.TextDocument | null {
    return this.document;
  }

  private async render(spec: ClusterSpec): Promise<string> {
    try {
      return (await (await this.service.client()).render(spec)).script;
    } catch (error) {
      throw new Error(`The job script cannot be rendered: ${describeError(error)}`);
    }
  }

  private async replace(text: string): Promise<void> {
    const doc = this.document;
    if (!doc || doc.getText() === text) return;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
    await vscode.workspace.applyEdit(edit);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
