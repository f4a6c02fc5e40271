import * as vscode from 'vscode';
import type { DroverService } from '../manager/drover-service';
import { clientCodeFor, languageOf, type CodeLanguage } from '../notebook/client-code';
import { pickCluster, type ClusterArgument } from './pick-cluster';

/** Where Insert Client Code put its text. */
export type InsertResult = { notebook: vscode.Uri; cellIndex: number } | { editor: vscode.Uri; line: number };

/**
 * Insert Client Code (a new cell above the selected one in the active notebook, for its kernel's
 * language; else at the cursor of a .py/.ts/.js editor) and Copy Connection Code.
 */
export function registerClientCodeCommands(service: DroverService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'drover.insertClientCode',
      async (arg?: ClusterArgument): Promise<InsertResult | undefined> => {
        const cluster = await pickCluster(service, arg);
        if (!cluster) return undefined;
        try {
          return await insert(cluster.name, (language) => clientCodeFor(cluster, language));
        } catch (error) {
          void vscode.window.showErrorMessage((error as Error).message);
          throw error;
        }
      },
    ),
    vscode.commands.registerCommand(
      'drover.copyConnectionCode',
      async (arg?: ClusterArgument, language?: CodeLanguage) => {
        const cluster = await pickCluster(service, arg);
        if (!cluster) return undefined;
        const chosen =
          language ??
          ((await vscode.window.showQuickPick(['python', 'typescript'], { title: 'Connection code for' })) as
            CodeLanguage | undefined);
        if (!chosen) return undefined;
        const code = clientCodeFor(cluster, chosen);
        await vscode.env.clipboard.writeText(code);
        void vscode.window.showInformationMessage(
          `Copied the ${chosen} code that connects to ${cluster.name}.`,
        );
        return code;
      },
    ),
  ];
}

async function insert(name: string, codeFor: (language: CodeLanguage) => string): Promise<InsertResult> {
  const notebookEditor = vscode.window.activeNotebookEditor;
  if (notebookEditor) {
    const notebook = notebookEditor.notebook;
    const index = notebookEditor.selection?.start ?? 0;
    const languageId = notebookLanguage(notebook, index);
    const language = languageOf(languageId);
    if (!language)
      throw new Error(
        `The notebook's language (${languageId}) has no Drover client: use Python or TypeScript`,
      );
    const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, codeFor(language), languageId);
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(index, [cell])]);
    if (!(await vscode.workspace.applyEdit(edit)))
      throw new Error(`Could not insert a cell into ${notebook.uri.fsPath}`);
    notebookEditor.selection = new vscode.NotebookRange(index, index + 1);
    return { notebook: notebook.uri, cellIndex: index };
  }
  const editor = vscode.window.activeTextEditor;
  const language = editor ? languageOf(editor.document.languageId) : null;
  if (!editor || !language)
    throw new Error(`Open a notebook or a .py, .ts or .js file to insert the code that connects to ${name}`);
  const line = editor.selection.active.line;
  await editor.edit((b) => b.insert(editor.selection.active, codeFor(language)));
  return { editor: editor.document.uri, line };
}

/** The language of the cell at `index` (or the notebook's first code cell): the kernel's language. */
function notebookLanguage(notebook: vscode.NotebookDocument, index: number): string {
  const cells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
  const at = notebook.cellCount > index ? notebook.cellAt(index) : undefined;
  return (at?.kind === vscode.NotebookCellKind.Code ? at : cells[0])?.document.languageId ?? 'python';
}
