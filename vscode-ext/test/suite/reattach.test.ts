import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import { keeperSocketPath } from '../../src/manager/lease-protocol';
import { ManagerClient } from '../../src/manager/manager-client';
import { ManagerLease } from '../../src/manager/manager-lease';
import { droverApi, uniqueName } from './helpers';

suite('the manager outlives a window reload', () => {
  const name = uniqueName('vsc-reload');

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('drover.stopCluster', name).then(undefined, () => {});
  });

  test('a second window (or this one after a reload) finds the same manager and the same clusters', async () => {
    const api = await droverApi();
    await vscode.commands.executeCommand<ClusterModel>(
      'drover.startFromProfile',
      'Defaults from settings',
      name,
    );
    const first = await api.service.client();
    const lease = await ManagerLease.acquire({
      spawnIfMissing: false,
      keeperScript: '',
      config: { socketPath: keeperSocketPath(), command: [], graceMs: 0 },
      onLog: () => {},
      onLost: () => {},
    });
    try {
      assert.equal(lease.endpoint.url, first.endpoint.url);
      const names = (await new ManagerClient(lease.endpoint).clusters()).map((c) => c.name);
      assert.ok(names.includes(name));
    } finally {
      lease.release();
    }
  });

  test('without a running manager, attaching alone fails instead of starting one', async () => {
    await assert.rejects(
      ManagerLease.acquire({
        spawnIfMissing: false,
        keeperScript: '',
        config: { socketPath: `${keeperSocketPath()}.absent`, command: [], graceMs: 0 },
        onLog: () => {},
        onLost: () => {},
      }),
      /no Drover manager is running/,
    );
  });
});
