// Memory limits as Dask's nanny applies them: a worker pauses at the first threshold and restarts at
// the last; tasks running there go back to the scheduler, and a task that keeps pushing its worker
// over the limit fails with a clear error instead of restarting workers forever.
import { describe, expect, it } from 'vitest';
import { LocalCluster } from '@drover/core';
import { startCluster } from '../helpers/cluster.js';
import { waitFor } from '../helpers/processes.js';

/** Grows the process's memory by 32 MB every 100 ms (outside the thread's heap limit) until stopped. */
async function hog(): Promise<number> {
  const held: Buffer[] = [];
  for (;;) {
    held.push(Buffer.alloc(32 * 2 ** 20, 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('memory limit', () => {
  it('a memory hog restarts its worker, then fails with "exceeded the memory limit N times" while other tasks complete', async () => {
    const { cluster, client } = await startCluster({
      workers: 2,
      threadsPerWorker: 1,
      memoryLimit: '400MiB',
      scheduler: { allowedCrashes: 2 },
    });
    const hogged = client.submit(hog);
    const others = client.map(
      (x: number) => x * 2,
      Array.from({ length: 40 }, (_, i) => i),
    );
    expect(await client.gather(others)).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    await expect(hogged).rejects.toThrow(
      /exceeded the memory limit of 400 MiB per worker 3 times \(its worker restarted each time/,
    );
    const reasons = cluster.scheduler.departed.map((d) => d.reason);
    expect(reasons.filter((r) => r === 'memory-limit')).toHaveLength(3);
    // The restarted workers come back (same processes, fresh workers) and still compute.
    await waitFor(() => cluster.scheduler.workers.size === 2, 60_000, 'the restarted worker to rejoin');
    expect(await client.submit((x: number) => x + 1, 41)).toBe(42);
  }, 180_000);

  it('memoryLimit 0 means no limit (ESPEI sets it), and thresholds outside (0, 1] are refused', async () => {
    const { cluster } = await startCluster({ workers: 1, memoryLimit: 0 });
    expect([...cluster.scheduler.workers.values()][0]!.identity.memoryLimit).toBeNull();
    await expect(LocalCluster.start({ workers: 1, memoryThresholds: { pause: 1.5 } })).rejects.toThrow(
      /memory pause threshold must be a fraction of the limit in \(0, 1\], got 1.5/,
    );
  });
});
