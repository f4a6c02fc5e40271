import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import type { DroverNode } from '../../src/tree/cluster-tree';
import { droverApi, uniqueName, waitFor, withClient } from './helpers';

suite('a local cluster started from VS Code', () => {
  const name = uniqueName('vsc-local');

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('drover.stopCluster', name).then(undefined, () => {});
  });

  test('starts from the settings defaults, runs tasks, and the tree shows its workers with slots', async () => {
    const api = await droverApi();
    const started = await vscode.commands.executeCommand<ClusterModel>(
      'drover.startFromProfile',
      'Defaults from settings',
      name,
    );
    assert.equal(started.name, name);
    assert.equal(started.kind, 'local');
    const running = await waitFor('2 workers', () => {
      const c = api.service.store.get(name);
      return c && c.workers.connected === 2 ? c : null;
    });
    const sum = await withClient(
      running.clientCode,
      'const squares = client.map((x) => x * x, Array.from({ length: 200 }, (_, i) => i));\n' +
        'const values = await client.gather(squares);\nconsole.log(values.reduce((a, b) => a + b, 0));',
    );
    assert.equal(sum, String(Array.from({ length: 200 }, (_, i) => i * i).reduce((a, b) => a + b, 0)));
    const roots = await api.tree.getChildren();
    assert.ok(roots.some((n) => n.type === 'cluster' && n.name === name));
    const workers = await api.tree.getChildren({ type: 'cluster', name });
    assert.equal(workers.length, 2);
    for (const w of workers as Extract<DroverNode, { type: 'worker' }>[]) {
      assert.equal(w.type, 'worker');
      const item = api.tree.getTreeItem(w);
      assert.match(String(item.description), /^1 slot · .* · \d+ running$/);
    }
    assert.match(api.statusBar.text, new RegExp(`${name}: 2 workers, \\d+ running`));
  });

  test('Scale… by workers and Adapt… change the cluster through the manager', async () => {
    const api = await droverApi();
    await vscode.commands.executeCommand('drover.scale', name, { unit: 'workers', value: 3 });
    await waitFor('3 workers', () => api.service.store.get(name)?.workers.connected === 3);
    const adapted = await vscode.commands.executeCommand<ClusterModel>('drover.adapt', name, {
      minimum: 1,
      maximum: 2,
    });
    assert.deepEqual(adapted.adaptive, { minimum: 1, maximum: 2 });
    const fixed = await vscode.commands.executeCommand<ClusterModel>('drover.adapt', name, null);
    assert.equal(fixed.adaptive, null);
  });

  test('Show Task Stream opens the webview, which draws frames from the event stream', async () => {
    const api = await droverApi();
    await vscode.commands.executeCommand('drover.showTaskStream', name);
    const panel = api.panels().taskStream;
    assert.ok(panel);
    assert.equal(panel.watched, name);
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === `Drover: ${name}`);
    assert.ok(tab, 'no task-stream tab');
    const first = await waitFor('a frame report', () => panel.lastFrames);
    await waitFor('more frames', () => (panel.lastFrames?.frames ?? 0) > first.frames);
  });

  test('Stop Cluster shuts it down: it leaves the tree and the manager', async () => {
    const api = await droverApi();
    assert.equal(await vscode.commands.executeCommand('drover.stopCluster', name), true);
    await waitFor('the cluster gone', () => !api.service.store.get(name));
    const names = (await (await api.service.client()).clusters()).map((c) => c.name);
    assert.ok(!names.includes(name));
  });
});
