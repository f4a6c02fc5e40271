import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import { droverApi, waitFor } from './helpers';

const NAME = '<img src=x onerror=alert(1)>';

suite('a cluster named like markup', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('drover.stopCluster', NAME).then(undefined, () => {});
  });

  test('is a plain-text label in the tree and the task-stream title, and runs nothing', async () => {
    const api = await droverApi();
    const started = await vscode.commands.executeCommand<ClusterModel>(
      'drover.startFromProfile',
      'Defaults from settings',
      NAME,
    );
    assert.equal(started.name, NAME);
    const item = api.tree.getTreeItem({ type: 'cluster', name: NAME });
    assert.equal(item.label, NAME); // a string label is shown as text, never parsed
    assert.equal(typeof item.tooltip, 'string');
    await vscode.commands.executeCommand('drover.showTaskStream', NAME);
    const panel = await waitFor('the task-stream panel', () => api.panels().taskStream);
    assert.equal(panel.panel.title, `Drover: ${NAME}`);
    assert.doesNotMatch(panel.panel.webview.html, /<img/);
    assert.match(panel.panel.webview.html, /default-src 'none'/);
    assert.match(panel.panel.webview.html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
  });
});
