import { describe, expect, it } from 'vitest';
import { startCluster } from '../helpers/cluster.js';

describe('futures and garbage collection', () => {
  it('gather(map(…)) resolves even when the futures are collected while it waits', async () => {
    const { client } = await startCluster();
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'tests run with --expose-gc').toBeTypeOf('function');
    const pending = client.gather(
      client.map(
        async (x: number) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return x * 2;
        },
        Array.from({ length: 200 }, (_, i) => i),
      ),
    );
    // Nothing but the gather refers to the futures now; collect while the tasks run.
    for (let i = 0; i < 5; i++) {
      gc!();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await pending).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
  });

  it('a future dropped without being awaited is released: the scheduler forgets its task', async () => {
    const { client } = await startCluster();
    const gc = (globalThis as { gc?: () => void }).gc!;
    (() => {
      client.map(
        (x: number) => x,
        Array.from({ length: 100 }, (_, i) => i),
        { pure: false },
      );
    })();
    await expect.poll(async () => (await client.status()).tasks.total, { timeout: 5000 }).toBe(100);
    await expect
      .poll(
        async () => {
          gc();
          return (await client.status()).tasks.total;
        },
        { timeout: 10_000 },
      )
      .toBe(0);
  });
});
