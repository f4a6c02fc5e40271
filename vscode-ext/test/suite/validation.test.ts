import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import { validate } from '../../src/commands/validated-input';
import { droverApi, uniqueName } from './helpers';

suite('bad input is refused, naming the field', () => {
  test('a bad walltime is refused by the input validation with the field and the fix', async () => {
    const client = await (await droverApi()).service.client();
    const options = { cores: 2, memory: '4GB' };
    const message = await validate(client, { kind: 'slurm', options: { ...options, walltime: 'tomorrow' } });
    assert.ok(message, 'no message');
    assert.match(message, /options\.walltime/);
    assert.equal(
      await validate(client, { kind: 'slurm', options: { ...options, walltime: '01:00:00' } }),
      null,
    );
  });

  test('an option the schema does not know is an error naming it', async () => {
    const client = await (await droverApi()).service.client();
    const message = await validate(client, { kind: 'local', options: { threadsPerWorkr: 2 } });
    assert.match(message ?? '', /threadsPerWorkr/);
  });

  test('Export Job Script… of a bad spec fails naming the field', async () => {
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('drover.exportJobScript', { kind: 'slurm', options: { cores: -3 } }),
      ),
      /options\.cores/,
    );
  });

  test('Scale… to more than the schema allows is refused naming scale, and the cluster keeps its size', async () => {
    const api = await droverApi();
    const name = uniqueName('vsc-bad');
    await vscode.commands.executeCommand<ClusterModel>(
      'drover.startFromProfile',
      'Defaults from settings',
      name,
    );
    try {
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand('drover.scale', name, { unit: 'workers', value: 5000 }),
        ),
        /scale/,
      );
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('drover.scale', name, { unit: 'jobs', value: 1 })),
        /local cluster has no jobs/,
      );
      assert.equal((await (await api.service.client()).cluster(name)).workers.requested, 2);
    } finally {
      await vscode.commands.executeCommand('drover.stopCluster', name);
    }
  });
});
