// Function tasks get a per-task timeoutMs, as command tasks do: a task that runs longer is stopped
// (its thread ended, even in a busy loop) and raises TaskTimeoutError; retries apply.
import { describe, expect, it } from 'vitest';
import { startCluster } from '../helpers/cluster.js';

describe('function task timeoutMs', () => {
  it('stops a task in an endless loop, names the limit, and the worker goes on computing', async () => {
    const { client } = await startCluster({ workers: 1 });
    const spin = client.with({ timeoutMs: 1000 }).submit(() => {
      for (;;) {
        /* never returns */
      }
    });
    await expect(spin).rejects.toThrow(/ran longer than its timeoutMs \(1000 ms\) and was stopped/);
    expect(await client.submit((x: number) => x * 3, 7)).toBe(21);
  }, 60_000);

  it('a task within its limit finishes; a timed-out one is retried when it has retries', async () => {
    const { client } = await startCluster({ workers: 1 });
    const quick = client.with({ timeoutMs: 20_000 }).submit(async (ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return 'done';
    }, 100);
    expect(await quick).toBe('done');
    const slowFirst = client.with({ timeoutMs: 1000, retries: 1 }).submit(async () => {
      const g = globalThis as { attempts?: number };
      g.attempts = (g.attempts ?? 0) + 1; // a fresh thread after the stop: the count restarts
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      return 'never';
    });
    await expect(slowFirst).rejects.toThrow(/timeoutMs \(1000 ms\)/);
    const stops = (await client.getTaskStream()).events.filter(
      (e) => e.key === slowFirst.key && e.outcome === 'erred',
    );
    expect(stops).toHaveLength(2); // the first run and its one retry
  }, 60_000);

  it('refuses a timeoutMs that is not a whole number of milliseconds, naming it', async () => {
    const { client } = await startCluster({ workers: 1 });
    expect(() => client.with({ timeoutMs: 0.5 }).submit(() => 1)).toThrow(
      /timeoutMs: must be a whole number/,
    );
  });
});
