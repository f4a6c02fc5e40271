import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { isAlive, startDrover, waitFor } from '../helpers/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'drover-rejoin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TOKEN = 'rejoin-test-token';
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, TOKEN, { mode: 0o600 });

/** A port free now, for a scheduler that must come back at the same address. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startScheduler(port: number) {
  const scheduler = startDrover(['scheduler', '--port', String(port), '--token', TOKEN]);
  onCleanup(() => scheduler.stop());
  return scheduler;
}

async function clientWithWorkers(address: string, workers: number): Promise<Client> {
  const client = await Client.connect({ address, token: TOKEN });
  onCleanup(() => client.close());
  await waitFor(
    async () => (await client.status()).workers.length === workers,
    30_000,
    `${workers} worker(s)`,
  );
  return client;
}

describe('a worker that loses its scheduler', () => {
  it('joins the scheduler that comes back at the same address, afresh, and leaves with it when it is stopped', async () => {
    const port = await freePort();
    const address = `ws://127.0.0.1:${port}`;
    const first = startScheduler(port);
    await first.line(/Scheduler at ws:/);
    const worker = startDrover(['worker', address, '--token-file', tokenFile, '--name', 'w-rejoin']);
    onCleanup(() => worker.stop());
    const before = await clientWithWorkers(address, 1);
    expect(await before.submit((x: number) => x + 1, 1)).toBe(2);

    await first.stop('SIGKILL'); // a crash: no goodbye reaches the worker
    const second = startScheduler(port);
    await second.line(/Scheduler at ws:/);
    const after = await clientWithWorkers(address, 1);
    const [rejoined] = (await after.status()).workers;
    expect(rejoined).toMatchObject({ name: 'w-rejoin', pid: worker.child.pid });
    expect(await after.gather(after.map((x: number) => x * 10, [1, 2, 3]))).toEqual([10, 20, 30]);
    expect(worker.output()).toMatch(/lost the scheduler; trying to join again for 60 s/);

    // A scheduler stopped on purpose takes its workers with it.
    await second.stop('SIGTERM');
    expect(await worker.exitCode()).toBe(0);
  });

  it('gives up after --death-timeout when no scheduler comes back', async () => {
    const port = await freePort();
    const scheduler = startScheduler(port);
    await scheduler.line(/Scheduler at ws:/);
    const worker = startDrover([
      'worker',
      `ws://127.0.0.1:${port}`,
      '--token-file',
      tokenFile,
      '--death-timeout',
      '2s',
    ]);
    onCleanup(() => worker.stop());
    await clientWithWorkers(`ws://127.0.0.1:${port}`, 1);
    await scheduler.stop('SIGKILL');
    const started = Date.now();
    expect(await worker.exitCode(20_000)).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(isAlive(worker.child.pid!)).toBe(false);
    expect(worker.output()).toMatch(/cannot reach ws:\/\/127\.0\.0\.1/);
  });
});
