import { describe, expect, it } from 'vitest';
import { startCluster } from '../helpers/cluster.js';

const MiB = 2 ** 20;

/** Heap in use after full collections (the scheduler and the client live in this process). */
function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('scheduler memory after release', () => {
  it('gives back what a map held, at every size: only the bounded task-stream history stays', async () => {
    const { client } = await startCluster();
    await client.gather(client.map((x: number) => x, [1, 2, 3]));
    const baseline = heapAfterGc();
    const kept: number[] = [];
    // The task stream keeps the last 100k tasks' events for dashboards that join late: 120k tasks
    // fill it; 240k must keep no more.
    for (const n of [120_000, 240_000]) {
      let futures: unknown = client.map(
        (x: number) => x + 1,
        Array.from({ length: n }, (_, i) => i),
      );
      await client.gather(futures as never);
      futures = null;
      await expect
        .poll(async () => (heapAfterGc(), (await client.status()).tasks.total), { timeout: 30_000 })
        .toBe(0);
      kept.push(heapAfterGc() - baseline);
    }
    const [small, large] = kept.map((bytes) => bytes / MiB) as [number, number];
    console.log(
      `heap kept after release: ${small.toFixed(1)} MiB (120k tasks), ${large.toFixed(1)} MiB (240k)`,
    );
    expect(
      large,
      `MiB kept after 120k tasks: ${small.toFixed(1)}, after 240k: ${large.toFixed(1)}`,
    ).toBeLessThan(small + 8);
    expect(large).toBeLessThan(40);
  }, 180_000);
});
