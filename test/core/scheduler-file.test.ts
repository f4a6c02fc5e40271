import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, readSchedulerFile } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { startDrover, waitFor } from '../helpers/processes.js';

describe('scheduler file and the drover command', () => {
  it('drover scheduler writes a 0600 scheduler file; drover worker and a client connect through it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-file-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'scheduler.json');
    // The worker starts first and waits for the file, as on a batch system where jobs start in any order.
    const worker = startDrover(['worker', '--scheduler-file', file, '--nthreads', '2', '--name', 'w-file']);
    onCleanup(() => worker.stop());
    const scheduler = startDrover(['scheduler', '--scheduler-file', file]);
    onCleanup(() => scheduler.stop());
    await scheduler.line(/Scheduler at (ws:\/\/\S+)/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const contents = await readSchedulerFile(file);
    expect(Object.keys(contents)).toEqual(
      expect.arrayContaining(['address', 'token', 'id', 'started', 'dashboard']),
    );
    const client = await Client.connect({ schedulerFile: file });
    onCleanup(() => client.close());
    expect(await client.gather(client.map((x: number) => x + 1, [1, 2, 3]))).toEqual([2, 3, 4]);
    const status = await client.status();
    expect(status.workers.map((w) => w.name)).toEqual(['w-file']);
    expect(status.workers[0]!.nthreads).toBe(2);
  });

  it('drover local prints the address and how to connect, and Ctrl-C stops it with its workers', async () => {
    const local = startDrover(['local', '--workers', '2']);
    onCleanup(() => local.stop('SIGKILL'));
    const [, address] = await local.line(/Connect: const client = await Client.connect\('([^']+)'\)/);
    const client = await Client.connect(address!);
    expect(await client.submit((x: number) => x * 2, 4)).toBe(8);
    const workerPids = (await client.status()).workers.map((w) => w.pid);
    expect(workerPids).toHaveLength(2);
    await client.close();
    await local.stop('SIGINT');
    expect(local.child.exitCode).toBe(0);
    await waitFor(() => workerPids.every((pid) => !alive(pid)), 5000, 'workers of drover local to exit');
  });

  it('drover --help and each command --help describe the options; a bad option names itself', async () => {
    const help = startDrover(['--help']);
    await help.line(/Commands:[\s\S]*local[\s\S]*scheduler[\s\S]*worker/);
    const workerHelp = startDrover(['worker', '--help']);
    await workerHelp.line(/--scheduler-file PATH[\s\S]*--lifetime/);
    const bad = startDrover(['worker', '--nthreads', 'two', 'ws://127.0.0.1:1']);
    await bad.line(/--nthreads must be a whole number ≥ 1, got 'two'/);
    // It exits by itself; stopping it earlier would replace its exit code with a signal.
    await waitFor(() => bad.child.exitCode !== null, 10_000, 'drover worker to exit after the usage error');
    for (const p of [help, workerHelp, bad]) await p.stop();
    expect(bad.child.exitCode).toBe(2);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
