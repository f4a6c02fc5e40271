import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterModel, ClusterSpec } from '@drover/core/ui';
import { droverApi, squeueIds, uniqueName, waitFor } from './helpers';

suite('a SLURM cluster on the real local SLURM', () => {
  const name = uniqueName('vsc-slurm');
  const spec: ClusterSpec = {
    kind: 'slurm',
    name,
    scale: 0,
    options: { cores: 1, processes: 1, memory: '200MB', walltime: '00:10:00', name },
  };
  const seen = new Set<string>();

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('drover.stopCluster', name).then(undefined, () => {});
  });

  test('scales to 2 jobs: the queue holds them and the tree shows them with their state', async () => {
    const api = await droverApi();
    await (await api.service.client()).saveProfile(name, spec);
    const started = await vscode.commands.executeCommand<ClusterModel>('drover.startFromProfile', name, name);
    assert.equal(started.kind, 'slurm');
    await vscode.commands.executeCommand('drover.scale', name, { unit: 'jobs', value: 2 });
    const jobs = await waitFor('2 live jobs in the tree', async () => {
      api.tree.refresh();
      const rows = await api.tree.getChildren({ type: 'cluster', name });
      return rows.length === 2 ? rows : null;
    });
    for (const row of jobs) {
      assert.equal(row.type, 'job');
      if (row.type !== 'job') continue;
      seen.add(row.job.jobId);
      assert.match(
        String(api.tree.getTreeItem(row).description),
        /^(pending(: \S.*)?|running(, \d+:\d\d walltime left)?)$/,
      );
    }
    const queue = await squeueIds();
    for (const id of seen) assert.ok(queue.includes(id), `job ${id} is not in squeue`);
    await waitFor(
      'a worker in a running job',
      () =>
        (api.service.store.get(name)?.workers.connected ?? 0) >= 1 &&
        api.service.store.liveJobs(name).find((j) => j.state === 'running'),
      90_000,
    );
    const running = api.service.store.liveJobs(name).find((j) => j.state === 'running')!;
    const rows = await api.tree.getChildren({ type: 'job', cluster: name, job: running });
    assert.ok(
      rows.some((r) => r.type === 'worker' && r.worker.jobId === running.jobId),
      'no worker under its job',
    );
  });

  test('scales back to 0 jobs: the queue no longer holds them', async () => {
    await vscode.commands.executeCommand('drover.scale', name, { unit: 'jobs', value: 0 });
    await waitFor(
      'no job of the cluster in squeue',
      async () => {
        const queue = await squeueIds();
        return [...seen].every((id) => !queue.includes(id));
      },
      60_000,
    );
  });

  test('Stop Cluster leaves nothing of it in squeue', async () => {
    const api = await droverApi();
    await vscode.commands.executeCommand('drover.scale', name, { unit: 'jobs', value: 1 });
    await waitFor('a new job', () => api.service.store.liveJobs(name).length === 1);
    for (const j of api.service.store.liveJobs(name)) seen.add(j.jobId);
    assert.equal(await vscode.commands.executeCommand('drover.stopCluster', name), true);
    const queue = await squeueIds();
    for (const id of seen) assert.ok(!queue.includes(id), `job ${id} is still in squeue after stop`);
  });
});
