import { describe, expect, it } from 'vitest';
import { startCluster } from '../helpers/cluster.js';
import { isAlive, waitFor } from '../helpers/processes.js';

describe('recovery when workers die', () => {
  it('SIGKILL of workers, several times during a 5,000-task run: every future resolves to the right value', async () => {
    const { cluster, client } = await startCluster({ workers: 2 });
    // Dependent pairs, so results held only by a killed worker must be recomputed from lineage.
    const squares = client.map(
      async (x: number) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return x * x;
      },
      Array.from({ length: 2500 }, (_, i) => i),
    );
    const plusOne = squares.map((f) => client.submit((y: number) => y + 1, f));
    const kills: number[] = [];
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      // The cluster replaces a killed worker; on a loaded machine the next one may still be starting.
      await waitFor(() => cluster.scheduler.workers.size > 0, 30_000, 'a worker to kill');
      const victim = [...cluster.scheduler.workers.values()][0]!;
      process.kill(victim.identity.pid, 'SIGKILL');
      kills.push(victim.identity.pid);
      await waitFor(() => !isAlive(victim.identity.pid), 5000, 'killed worker to exit');
    }
    const values = await client.gather([...squares, ...plusOne]);
    expect(values).toEqual([
      ...Array.from({ length: 2500 }, (_, i) => i * i),
      ...Array.from({ length: 2500 }, (_, i) => i * i + 1),
    ]);
    expect(kills.length).toBe(4);
    const departed = cluster.scheduler.departed.filter((d) => d.reason === 'connection-lost');
    expect(departed.length).toBeGreaterThanOrEqual(4);
  });

  it('a worker killed mid-task: the task runs again elsewhere and its future resolves', async () => {
    const { cluster, client } = await startCluster({ workers: 2 });
    const slow = client.submit(async (x: number) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return x;
    }, 99);
    await waitFor(
      () => [...cluster.scheduler.workers.values()].some((w) => w.processing.size > 0),
      5000,
      'task to start',
    );
    const busy = [...cluster.scheduler.workers.values()].find((w) => w.processing.size > 0)!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(busy.identity.pid, 'SIGKILL');
    expect(await slow).toBe(99);
    const events = (await client.getTaskStream()).events.filter((e) => e.key === slow.key);
    expect(events.map((e) => e.outcome)).toContain('lost');
    expect(events.at(-1)!.outcome).toBe('memory');
  });

  it('a task that keeps killing its workers errs after allowedCrashes instead of killing the cluster forever', async () => {
    const { cluster, client } = await startCluster({ workers: 2, scheduler: { allowedCrashes: 1 } });
    const killer = client.submit(() => process.kill(process.pid, 'SIGKILL'));
    await expect(killer).rejects.toThrow(/was running on 2 workers that died.*allowedCrashes=1/);
    // The cluster replaced its workers and still works.
    expect(await client.submit((x: number) => x * 3, 3)).toBe(9);
    expect(cluster.status().workersRequested).toBe(2);
  });

  it('a worker that stops heart-beating is removed and its task runs elsewhere', async () => {
    const { cluster, client } = await startCluster({ workers: 2, scheduler: { heartbeatTimeoutMs: 1500 } });
    const slow = client.submit(async (x: number) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return x;
    }, 7);
    await waitFor(
      () => [...cluster.scheduler.workers.values()].some((w) => w.processing.size > 0),
      5000,
      'task to start',
    );
    const busy = [...cluster.scheduler.workers.values()].find((w) => w.processing.size > 0)!;
    process.kill(busy.identity.pid, 'SIGSTOP');
    try {
      expect(await slow).toBe(7);
      expect(cluster.scheduler.departed.map((d) => d.reason)).toContain('heartbeat-timeout');
    } finally {
      process.kill(busy.identity.pid, 'SIGKILL');
    }
  });
});
