import { describe, expect, it } from 'vitest';
import { ref, RemoteTaskError } from '@drover/core';
import { startCluster } from '../helpers/cluster.js';

// A trajectory analysis in blocks (PMDA's shape), written as a graph: load each block, analyse it,
// reduce the per-block results.
const frames = (block: number) => Array.from({ length: 4 }, (_, i) => block * 4 + i);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const reduce = (means: number[]) => means.reduce((a, b) => a + b, 0);
const summary = (parts: { first: number; last: number }) => `${parts.first}..${parts.last}`;

describe('compute(graph)', () => {
  it('runs a graph given as data; ref(name) works inside arrays and objects; every name gets a future', async () => {
    const { client } = await startCluster();
    const futures = client.compute({
      total: [reduce, [ref('mean0'), ref('mean1'), ref('mean2')]],
      block0: [frames, 0],
      block1: [frames, 1],
      block2: [frames, 2],
      mean0: [mean, ref('block0')],
      mean1: [mean, ref('block1')],
      mean2: [mean, ref('block2')],
      label: [summary, { first: ref('mean0'), last: ref('mean2') }],
    });
    expect(Object.keys(futures).sort()).toEqual(
      ['block0', 'block1', 'block2', 'label', 'mean0', 'mean1', 'mean2', 'total'].sort(),
    );
    expect(await futures.block1).toEqual([4, 5, 6, 7]);
    expect(await futures.total).toBe(1.5 + 5.5 + 9.5);
    expect(await futures.label).toBe('1.5..9.5');
    // Pure by default: the same graph again is the same tasks.
    const again = client.compute({ block0: [frames, 0], mean0: [mean, ref('block0')] });
    expect(again.mean0.key).toBe(futures.mean0.key);
  });

  it('a failing task fails the tasks that depend on it, with its error', async () => {
    const { client } = await startCluster({ workers: 1 });
    const futures = client.compute({
      parse: [
        (text: string) => {
          if (!/^\d+$/.test(text)) throw new Error(`not a number: ${text}`);
          return Number(text);
        },
        'x12',
      ],
      double: [(n: number) => n * 2, ref('parse')],
    });
    const error = (await futures.double.then(
      () => null,
      (e: unknown) => e,
    )) as RemoteTaskError;
    expect(error).toBeInstanceOf(RemoteTaskError);
    expect(error.message).toMatch(/not a number: x12/);
  });

  it('a malformed graph is refused before anything is submitted, naming the task', async () => {
    const { client } = await startCluster({ workers: 1 });
    const add = (a: number, b: number) => a + b;
    expect(() =>
      client.compute({ a: [add, ref('b'), 1], b: [add, ref('c'), 1], c: [add, ref('a'), 1] }),
    ).toThrow(/graph: 'a' → 'b' → 'c' → 'a' is a cycle/);
    expect(() => client.compute({ a: [add, 1, 2], b: [add, ref('aa'), 1] })).toThrow(
      /graph\['b'\]: ref\('aa'\) names no task of the graph \(it has: a, b\)/,
    );
    expect(() => client.compute({ a: ['add' as never, 1] })).toThrow(
      /graph\['a'\]: expected \[function, \.\.\.arguments\], got an array starting with string/,
    );
    expect(() => client.compute({ a: [add, 1, 2] }, { key: 'mine' })).toThrow(/key: every task of a graph/);
    expect((await client.status()).tasks.total).toBe(0);
  });
});
