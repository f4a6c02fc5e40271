import { afterEach, expect } from 'vitest';
import { Client, LocalCluster, type LocalClusterOptions } from '@drover/core';
import { childPids } from './processes.js';

const open: Array<() => Promise<void>> = [];

/**
 * Starts a real LocalCluster (worker processes on 127.0.0.1) and a client connected to it.
 * Both are closed after the test, which then checks that no child process is left.
 */
export async function startCluster(
  options: LocalClusterOptions = {},
): Promise<{ cluster: LocalCluster; client: Client }> {
  const cluster = await LocalCluster.start({ workers: 2, threadsPerWorker: 1, ...options });
  const client = await Client.connect(cluster);
  open.push(async () => {
    await client.close();
    await cluster.close();
  });
  return { cluster, client };
}

/** Registers cleanup for something a test started. */
export function onCleanup(dispose: () => Promise<void> | void): void {
  open.push(async () => dispose());
}

afterEach(async () => {
  while (open.length > 0) await open.pop()!();
  expect(childPids(), 'child processes left after the test').toEqual([]);
});
