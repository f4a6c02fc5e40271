import { describe, expect, it } from 'vitest';
import { moduleFunction } from '@drover/core';
import { startCluster } from '../helpers/cluster.js';

describe('map and gather', () => {
  it('map returns one future per item and gather gives the values in order', async () => {
    const { client } = await startCluster();
    const futures = client.map(
      (x: number) => x * x,
      Array.from({ length: 500 }, (_, i) => i),
    );
    expect(futures).toHaveLength(500);
    const values = await client.gather(futures);
    expect(values).toEqual(Array.from({ length: 500 }, (_, i) => i * i));
  });

  it('futures passed as arguments deliver their values to the dependent task', async () => {
    const { client } = await startCluster();
    const [a, b] = client.map((x: number) => x + 1, [10, 20]);
    const sum = client.submit((x: number, y: number, z: { w: number }) => x + y + z.w, a!, b!, { w: 100 });
    expect(await sum).toBe(132);
  });

  it('values of many types survive the trip: typed arrays, maps, dates, nested objects, undefined', async () => {
    const { client } = await startCluster();
    const input = {
      f: new Float64Array([1.5, 2.5]),
      m: new Map([['a', 1]]),
      d: new Date(0),
      n: [1, [2, [3]]],
      u: undefined,
    };
    const echoed = await client.submit((v: typeof input) => v, input);
    expect(echoed.f).toEqual(new Float64Array([1.5, 2.5]));
    expect(echoed.d).toEqual(new Date(0));
    expect(echoed.n).toEqual([1, [2, [3]]]);
    expect(echoed.u).toBeUndefined();
  });

  it('pure submissions share a key, so repeated work is reused; pure: false runs again', async () => {
    const { client } = await startCluster();
    const once = client.submit((x: number) => x * 2, 21);
    const again = client.submit((x: number) => x * 2, 21);
    expect(once.key).toBe(again.key);
    const impure = client.with({ pure: false });
    expect(impure.submit((x: number) => x * 2, 21).key).not.toBe(impure.submit((x: number) => x * 2, 21).key);
    expect(await again).toBe(42);
  });

  it('functions shipped by module reference run the module export on the worker', async () => {
    const { client } = await startCluster();
    const rmsd = moduleFunction<(block: number[]) => number>(
      new URL('../fixtures/science.mjs', import.meta.url).pathname,
      'rmsd',
    );
    const blocks = [
      [3, 4],
      [1, 1, 1, 1],
    ];
    expect(await client.gather(client.map(rmsd, blocks))).toEqual([Math.sqrt(12.5), 1]);
  });

  it('async functions are awaited on the worker', async () => {
    const { client } = await startCluster();
    const value = await client.submit(async (x: number) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return x + 1;
    }, 1);
    expect(value).toBe(2);
  });

  it('asCompleted yields futures (not values) as they finish, with their index, and wait reports progress', async () => {
    const { client } = await startCluster();
    const futures = client.map(
      async (ms: number) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return ms;
      },
      // Far apart, so the order holds on a loaded machine (10 ms, then 400 after it, 1200 alone).
      [1200, 10, 400],
    );
    const order: number[] = [];
    const indices: number[] = [];
    for await (const { future, index } of client.asCompleted(futures)) {
      expect(future.status).toBe('finished');
      order.push(await future);
      indices.push(index);
    }
    expect(order).toEqual([10, 400, 1200]);
    expect(indices).toEqual([1, 2, 0]);
    const progress: number[] = [];
    await client.wait(
      client.map((x: number) => x, [1, 2, 3, 4]),
      { onProgress: (done) => progress.push(done) },
    );
    expect(progress.at(-1)).toBe(4);
  });

  it('scatter puts data on workers once; tasks take it as an argument', async () => {
    const { client } = await startCluster();
    const [table] = await client.scatter([Array.from({ length: 1000 }, (_, i) => i)]);
    const firsts = [10, 100].map((n) =>
      client.submit((t: number[], k: number) => t.slice(0, k).reduce((a, b) => a + b, 0), table!, n),
    );
    expect(await client.gather(firsts)).toEqual([45, 4950]);
    const total = await client.submit((t: number[]) => t.reduce((a, b) => a + b, 0), table!);
    expect(total).toBe(499500);
  });
});
