import { describe, expect, it } from 'vitest';
import type { Future } from '@drover/core';
import { startCluster } from '../helpers/cluster.js';

describe('task graphs', () => {
  it('a 10,000-task reduction tree computes the right sum', async () => {
    const { client } = await startCluster();
    let level: Future<number>[] = client.map(
      (x: number) => x,
      Array.from({ length: 5000 }, (_, i) => i),
    );
    let tasks = level.length;
    while (level.length > 1) {
      const next: Future<number>[] = [];
      for (let i = 0; i + 1 < level.length; i += 2)
        next.push(client.submit((a: number, b: number) => a + b, level[i]!, level[i + 1]!));
      if (level.length % 2 === 1) next.push(level.at(-1)!);
      tasks += Math.floor(level.length / 2);
      level = next;
    }
    expect(tasks).toBeGreaterThanOrEqual(9999);
    expect(await level[0]!).toBe((4999 * 5000) / 2);
  });

  it('a 1,000-step dependent chain passes each value to the next task', async () => {
    const { client } = await startCluster();
    let f: Future<number> = client.submit((x: number) => x, 0);
    for (let i = 0; i < 1000; i++) f = client.submit((x: number) => x + 1, f);
    expect(await f).toBe(1000);
  });

  it('released futures let the scheduler forget their tasks', async () => {
    const { client } = await startCluster();
    const futures = client.map(
      (x: number) => x,
      Array.from({ length: 2000 }, (_, i) => i),
      { pure: false },
    );
    await client.gather(futures);
    expect((await client.status()).tasks.total).toBe(2000);
    for (const f of futures) f.release();
    await expect.poll(async () => (await client.status()).tasks.total, { timeout: 5000 }).toBe(0);
  });

  it('higher priority runs first among queued tasks', async () => {
    const { client } = await startCluster({ workers: 1 });
    const blocker = client.submit(async () => new Promise((resolve) => setTimeout(() => resolve(0), 300)));
    const low = client
      .with({ priority: 0 })
      .map((x: number) => Date.now() + x * 0, [1, 2, 3], { pure: false });
    const high = client.with({ priority: 10, pure: false }).submit((x: number) => Date.now() + x * 0, 0);
    await blocker;
    const [lowTimes, highTime] = [await client.gather(low), await high];
    expect(highTime).toBeLessThanOrEqual(Math.min(...lowTimes));
  });
});
