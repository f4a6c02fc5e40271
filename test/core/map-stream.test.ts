import { describe, expect, it } from 'vitest';
import { RemoteTaskError } from '@drover/core';
import { startCluster } from '../helpers/cluster.js';
import { waitFor } from '../helpers/processes.js';

describe('mapStream', () => {
  it('20,000 items through a window of 500: every value once, never more than the window in the scheduler', async () => {
    const { client } = await startCluster();
    const n = 20_000;
    const seen = new Uint8Array(n);
    let sum = 0;
    let most = 0;
    let results = 0;
    for await (const { value, index } of client.mapStream((x: number) => x * 2, range(n), { window: 500 })) {
      expect(value).toBe(index * 2);
      seen[index]!++;
      sum += value;
      if (++results % 1000 === 0) most = Math.max(most, (await client.status()).tasks.total);
    }
    expect(results).toBe(n);
    expect(seen.every((count) => count === 1)).toBe(true);
    expect(sum).toBe(n * (n - 1));
    expect(most).toBeGreaterThan(0);
    // Released tasks leave the scheduler a moment after their release is sent.
    expect(most).toBeLessThanOrEqual(500 + 100);
    await waitFor(async () => (await client.status()).tasks.total === 0, 10_000, 'every task released');
  });

  it('reads a lazy generator only as fast as the window frees up', async () => {
    const { client } = await startCluster();
    let produced = 0;
    function* samples(): Generator<number> {
      for (let i = 0; i < 3000; i++) {
        produced++;
        yield i;
      }
    }
    const stream = client.mapStream(
      async (x: number) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return x;
      },
      samples(),
      { window: 100 },
    );
    const first = await stream.next();
    expect(first.done).toBe(false);
    expect(produced).toBeLessThanOrEqual(101);
    let count = 1;
    for await (const _ of stream) count++;
    expect(count).toBe(3000);
    expect(produced).toBe(3000);
  });

  it('a failing task ends the loop with its error; leaving early cancels what is in flight', async () => {
    const { client } = await startCluster();
    const failing = client.mapStream(
      (x: number) => {
        if (x === 50) throw new Error(`sample ${x} diverged`);
        return x;
      },
      range(1000),
      { window: 200 },
    );
    const error = await (async () => {
      try {
        for await (const _ of failing);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(RemoteTaskError);
    expect((error as Error).message).toMatch(/sample 50 diverged/);
    await waitFor(async () => (await client.status()).tasks.total === 0, 10_000, 'the rest cancelled');

    let taken = 0;
    for await (const _ of client.mapStream((x: number) => x, range(100_000), { window: 1000 })) {
      if (++taken === 10) break;
    }
    await waitFor(async () => (await client.status()).tasks.total === 0, 10_000, 'the rest cancelled');
    expect(() => client.mapStream((x: number) => x, [1], { window: 0 })).toThrow(
      /window: must be a whole number ≥ 1/,
    );
  });
});

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
