import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { droverApi } from './helpers';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { properties?: Record<string, unknown> }> };
  };
};

suite('Drover commands and settings in a real VS Code extension host', () => {
  test('every command of the manifest is registered under the "Drover" category', async () => {
    await droverApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands;
    assert.ok(contributed.length >= 12);
    for (const c of contributed) {
      assert.equal(c.category, 'Drover', c.command);
      assert.ok(registered.has(c.command), `${c.command} is not registered`);
    }
  });

  test('the new-cluster defaults setting is the ClusterSpec JSON Schema the manager validates with', async () => {
    const api = await droverApi();
    const client = await api.service.client();
    const { jsonSchema } = await client.spec();
    const setting = manifest.contributes.configuration.properties['drover.newClusterDefaults']!;
    assert.deepEqual(setting.properties, (jsonSchema as { properties: unknown }).properties);
    assert.equal(vscode.workspace.getConfiguration('drover').get('autoOpenTaskStream'), true);
  });

  test('Show Logs opens the Drover output channel without a cluster', async () => {
    await vscode.commands.executeCommand('drover.showLogs');
  });
});
