import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import type { InsertResult } from '../../src/commands/client-code-commands';
import { uniqueName } from './helpers';

suite('Insert Client Code and Copy Connection Code', () => {
  const name = uniqueName('vsc-code');
  let cluster: ClusterModel;

  suiteSetup(async () => {
    cluster = await vscode.commands.executeCommand<ClusterModel>(
      'drover.startFromProfile',
      'Defaults from settings',
      name,
    );
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('drover.stopCluster', name).then(undefined, () => {});
  });

  /** The scheduler's token, which the inserted text must never hold. */
  const token = (): string => decodeURIComponent(/token=([^"&]+)/.exec(cluster.clientCode)![1]!);
  const assertNoSecret = (text: string): void => {
    assert.ok(!text.includes(token()), 'the token is in the inserted code');
    assert.doesNotMatch(text, /wss?:\/\/|127\.0\.0\.1|token|\.key|\.pem/);
  };

  test('at the cursor of a TypeScript editor: connects by name, with no token, address or key', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: '// analysis\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const result = await vscode.commands.executeCommand<InsertResult>('drover.insertClientCode', name);
    assert.ok('editor' in result && result.line === 1);
    const text = doc.getText();
    assert.ok(text.startsWith('// analysis\n'));
    assert.ok(text.includes(`connect(${JSON.stringify(name)})`), text);
    assertNoSecret(text);
  });

  test('into a TypeScript notebook: a new cell above the selected one, in the notebook language', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'const a = 1;', 'typescript'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'console.log(a);', 'typescript'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    const editor = await vscode.window.showNotebookDocument(notebook);
    editor.selection = new vscode.NotebookRange(1, 2);
    const result = await vscode.commands.executeCommand<InsertResult>('drover.insertClientCode', name);
    assert.ok('notebook' in result && result.cellIndex === 1);
    assert.equal(notebook.cellCount, 3);
    const inserted = notebook.cellAt(1);
    assert.equal(inserted.document.languageId, 'typescript');
    assert.ok(inserted.document.getText().includes(`connect(${JSON.stringify(name)})`));
    assertNoSecret(inserted.document.getText());
    assert.equal(notebook.cellAt(2).document.getText(), 'console.log(a);');
  });

  test('a Python notebook on a Drover-engine cluster is told which engine Python needs', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'x = 1', 'python'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    await vscode.window.showNotebookDocument(notebook);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('drover.insertClientCode', name)),
      /Drover engine.*engine "dask"/,
    );
    assert.equal(notebook.cellCount, 1);
  });

  test('Copy Connection Code puts the same text on the clipboard', async () => {
    const code = await vscode.commands.executeCommand<string>(
      'drover.copyConnectionCode',
      name,
      'typescript',
    );
    assert.equal(await vscode.env.clipboard.readText(), code);
    assertNoSecret(code);
  });
});
