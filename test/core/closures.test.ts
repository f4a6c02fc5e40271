import { describe, expect, it } from 'vitest';
import { capture, moduleFunction } from '@drover/core';
import { startCluster } from '../helpers/cluster.js';
import { WORKER_GLOBALS } from '../../core/dist/client/worker-globals.js';

describe('functions that use variables from around them', () => {
  it('a function that uses a variable it was not given is refused at submit, naming it and showing capture()', async () => {
    const { client } = await startCluster();
    const offset = 5;
    const scale = 2;
    expect(() => client.submit((x: number) => x * scale + offset, 1)).toThrow(
      /uses 'offset', 'scale' from around it.*capture\(\{ offset, scale \}, fn\)/,
    );
    expect(() => client.map((x: number) => x + offset, [1, 2])).toThrow(/uses 'offset'/);
    expect(() => client.compute({ a: [(x: number) => x + offset, 1] })).toThrow(/uses 'offset'/);
    // Nothing was submitted: the scheduler knows no task.
    expect((await client.status()).tasks.total).toBe(0);
  });

  it('capture({ … }, fn) sends the values with the function; the worker binds each name', async () => {
    const { client } = await startCluster();
    const scale = 3;
    const table = { a: 10 };
    const weights = new Float64Array([0.5, 1.5]);
    const f = capture({ scale, table, weights }, (x: number) => x * scale + table.a + weights[1]!);
    expect(await client.gather(client.map(f, [1, 2]))).toEqual([14.5, 17.5]);
  });

  it('captured functions are shipped as source in turn, with their own captures', async () => {
    const { client } = await startCluster();
    const base = 100;
    const shift = capture({ base }, (y: number) => y + base);
    const square = (y: number) => y * y;
    const f = capture({ shift, square }, function both(x: number) {
      return shift(square(x));
    });
    expect(await client.submit(f, 3)).toBe(109);
    // A capture of a capture is one capture with both sets of values.
    const offset = 1;
    expect(
      await client.submit(
        capture(
          { offset },
          capture({ base }, (y: number) => y + base + offset),
        ),
        0,
      ),
    ).toBe(101);
  });

  it('functions that capture each other in a cycle are refused', async () => {
    const { client } = await startCluster();
    const holder: { g?: (n: number) => number } = {};
    const f = capture(holder as { g: (n: number) => number }, (n: number): number => (n <= 0 ? 0 : g(n - 1)));
    const g = capture({ f }, (n: number): number => (n <= 0 ? 0 : f(n - 1)));
    holder.g = g;
    expect(() => client.submit(f, 3)).toThrow(/captures itself in a cycle/);
  });

  it('what a function declares itself, its parameters, globals of the worker and its own name need no capture', async () => {
    const { client } = await startCluster();
    function factorial(n: number): number {
      return n <= 1 ? 1 : n * factorial(n - 1);
    }
    expect(await client.submit(factorial, 5)).toBe(120);
    const local = (xs: number[]) => {
      const [first = 0, ...rest] = xs;
      let total = first;
      for (const v of rest) total += Math.max(v, 0);
      try {
        JSON.parse('{');
      } catch (e) {
        total += e instanceof SyntaxError ? 1 : 0;
      }
      return [total, new URL('http://example.org/x').host, typeof process];
    };
    expect(await client.submit(local, [1, 2, -3])).toEqual([4, 'example.org', 'object']);
  });

  it('capture refuses values the function does not use, futures, and values that cannot be sent', async () => {
    const { client } = await startCluster();
    const scale = 2;
    expect(() =>
      client.submit(
        capture({ scale, extra: 1 }, (x: number) => x * scale),
        1,
      ),
    ).toThrow(/does not use 'extra'/);
    const future = client.submit((x: number) => x, 1);
    expect(() => client.submit(capture({ future }, () => future))).toThrow(/captures a future/);
    const sym = Symbol('s');
    expect(() => client.submit(capture({ sym }, () => sym))).toThrow(/captured by .* cannot be sent/);
    expect(() => capture([] as never, () => 1)).toThrow(/first argument is an object/);
    await future;
  });

  it('every global a function may use without capture exists on a real worker', async () => {
    const { client } = await startCluster();
    const missing = await client.submit(
      (names: string[]) => names.filter((n) => n !== 'undefined' && !(n in globalThis)),
      [...WORKER_GLOBALS],
    );
    expect(missing).toEqual([]);
  });

  it('module functions are shipped by reference and never inspected', async () => {
    const { client } = await startCluster();
    const join = moduleFunction<(a: string, b: string) => string>('node:path', 'join');
    expect(await client.submit(join, 'a', 'b')).toBe('a/b');
  });
});
