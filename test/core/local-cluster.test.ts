import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup, startCluster } from '../helpers/cluster.js';
import { isAlive, waitFor } from '../helpers/processes.js';

describe('LocalCluster', () => {
  it('worker processes do not outlive a parent killed with SIGKILL', async () => {
    const script = fileURLToPath(new URL('../fixtures/start-local-cluster.mjs', import.meta.url));
    const parent = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    onCleanup(() => void parent.kill('SIGKILL'));
    let out = '';
    parent.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    await waitFor(() => /pids (\S+)/.test(out), 20_000, 'cluster to start');
    const pids = /pids (\S+)/.exec(out)![1]!.split(',').map(Number);
    expect(pids).toHaveLength(2);
    expect(pids.every(isAlive)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor(
      () => pids.every((pid) => !isAlive(pid)),
      5000,
      'workers to exit after their parent was killed',
    );
  });

  it('scale up and down: new workers join; retired workers leave without failing tasks', async () => {
    const { cluster, client } = await startCluster({ workers: 1 });
    await cluster.scale(3);
    expect(cluster.scheduler.workers.size).toBe(3);
    const held = client.map(
      (x: number) => x * 10,
      Array.from({ length: 30 }, (_, i) => i),
    );
    await client.wait(held);
    await cluster.scale(1);
    expect(cluster.scheduler.workers.size).toBe(1);
    expect(cluster.scheduler.departed.map((d) => d.reason)).toEqual(['scaled-down', 'scaled-down']);
    // Results the retired workers held were handed over, not lost.
    expect(await client.gather(held)).toEqual(Array.from({ length: 30 }, (_, i) => i * 10));
    expect(cluster.status()).toMatchObject({ workersRequested: 1, workersConnected: 1 });
  });

  it('adapt grows the cluster while work waits and shrinks it, idle workers only, keeping held results', async () => {
    const { cluster, client } = await startCluster({ workers: 0 });
    cluster.adapt({ minimum: 0, maximum: 3, intervalMs: 200, waitCount: 2 });
    const sleepy = client.map(
      async (x: number) => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return x;
      },
      Array.from({ length: 24 }, (_, i) => i),
    );
    await waitFor(() => cluster.scheduler.workers.size === 3, 15_000, 'adaptive scale-up to the maximum');
    expect(await client.gather(sleepy)).toHaveLength(24);
    // One worker stays while the results are held (nowhere else to keep them); released, it goes too.
    await waitFor(
      () => cluster.scheduler.workers.size === 1,
      15_000,
      'adaptive scale-down to the worker holding results',
    );
    for (const future of sleepy) future.release();
    await waitFor(() => cluster.scheduler.workers.size === 0, 15_000, 'adaptive scale-down to the minimum');
    expect(cluster.scheduler.departed.every((d) => d.reason === 'scaled-down')).toBe(true);
    cluster.stopAdapting();
  });

  it('a worker at the end of its lifetime gives back its queue and leaves; no task spends a retry', async () => {
    const { cluster, client } = await startCluster({ workers: 1 });
    const { startDrover } = await import('../helpers/processes.js');
    const shortLived = startDrover(
      ['worker', cluster.schedulerAddress, '--name', 'short', '--lifetime', '2', '--lifetime-margin', '1'],
      {
        DROVER_TOKEN: cluster.token,
      },
    );
    onCleanup(() => shortLived.stop());
    await waitFor(() => cluster.scheduler.workers.size === 2, 10_000, 'short-lived worker to join');
    const tasks = client.with({ retries: 0 }).map(
      async (x: number) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return x;
      },
      Array.from({ length: 40 }, (_, i) => i),
    );
    expect(await client.gather(tasks)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    await waitFor(
      () => cluster.scheduler.departed.some((d) => d.name === 'short'),
      10_000,
      'short-lived worker to leave',
    );
    expect(cluster.scheduler.departed.find((d) => d.name === 'short')!.reason).toBe('lifetime');
  });

  it('bad options name the field', async () => {
    const { LocalCluster } = await import('@drover/core');
    await expect(LocalCluster.start({ workers: -1 })).rejects.toThrow(
      /^workers: must be a whole number ≥ 0, got -1/,
    );
    await expect(LocalCluster.start({ workers: 1, memoryLimit: 'huge' })).rejects.toThrow(
      /memoryLimit: "huge" is not a size/,
    );
  });
});
