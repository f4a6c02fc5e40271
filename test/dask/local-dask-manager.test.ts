import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterManager, type ServerEvent } from '@drover/core';
import { childPids } from '../helpers/processes.js';

let dir: string;
let manager: ClusterManager;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drover-dask-manager-'));
  manager = await ClusterManager.open({
    stateDirectory: join(dir, 'state'),
    profilesPath: join(dir, 'p.yaml'),
  });
});

afterAll(async () => {
  await manager?.closeAll();
  rmSync(dir, { recursive: true, force: true });
  expect(childPids(), 'Dask processes left').toEqual([]);
});

describe('a local Dask-engine cluster through the manager', () => {
  it('starts Debian Dask, reports its workers, scales, and closes leaving no process', async () => {
    const model = await manager.create({
      kind: 'local',
      engine: 'dask',
      name: 'dask-1',
      scale: 2,
      options: { threadsPerWorker: 2, memoryLimit: '1GiB' },
    });
    expect(model).toMatchObject({
      engine: 'dask',
      state: 'running',
      workers: { connected: 2, requested: 2 },
    });
    expect(model.cores).toBe(4);
    expect(model.memory).toBe(2 * 2 ** 30);
    expect(model.clientCode).toContain('client = drover.connect("dask-1")');

    const connection = manager.connection('dask-1');
    expect(connection.engine).toBe('dask');
    expect(connection.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(connection.schedulerFile).toMatch(/scheduler\.json$/);

    const { workers } = manager.metrics('dask-1');
    expect(workers.map((w) => [w.name, w.nthreads, w.memoryLimit]).sort()).toEqual([
      ['dask-1-0', 2, 2 ** 30],
      ['dask-1-1', 2, 2 ** 30],
    ]);

    await manager.scale('dask-1', 3);
    await expect.poll(() => manager.get('dask-1').workers.connected, { timeout: 60_000 }).toBe(3);
    await manager.scale('dask-1', 1);
    await expect.poll(() => manager.get('dask-1').workers.connected, { timeout: 60_000 }).toBe(1);

    await manager.close('dask-1');
    expect(manager.list()).toEqual([]);
  }, 180_000);

  it('streams the tasks a Python client runs: the preload pushes them, the session gets bars', async () => {
    await manager.create({ kind: 'local', engine: 'dask', name: 'dask-stream', scale: 2 });
    const events: ServerEvent[] = [];
    const session = manager.openSession((event) => events.push(event));
    session.watch('dask-stream');
    const { address } = manager.connection('dask-stream');
    // Plain Dask from Python, as a notebook would: 60 tasks of the group "inc", held for a while.
    const python = spawn('/usr/bin/python3', [
      '-c',
      'import sys, time; from distributed import Client\n' +
        'def inc(x):\n    time.sleep(0.01); return x + 1\n' +
        'with Client(sys.argv[1]) as c:\n' +
        '    futures = c.map(inc, range(60)); assert c.gather(futures) == list(range(1, 61)); time.sleep(4)',
      address,
    ]);
    const exited = once(python, 'exit');
    const tasks = (): Extract<ServerEvent, { type: 'tasks' }>[] =>
      events.filter((e): e is Extract<ServerEvent, { type: 'tasks' }> => e.type === 'tasks');
    await expect.poll(() => tasks().reduce((n, e) => n + e.batch.tasks, 0), { timeout: 20_000 }).toBe(60);
    expect(tasks()[0]!.batch.reset).toBe(true);
    expect(tasks().flatMap((e) => e.batch.newGroups)).toContain('inc');
    const lanes = tasks().flatMap((e) => e.batch.newLanes);
    await expect
      .poll(() => manager.metrics('dask-stream').groups.find((g) => g.group === 'inc')?.byState, {
        timeout: 10_000,
      })
      .toEqual({ memory: 60 });
    expect(new Set(lanes.map((lane) => JSON.stringify(lane).match(/dask-stream-\d/)?.[0])).size).toBe(2);
    expect((await exited)[0]).toBe(0);
    session.close();
    await manager.close('dask-stream');
  }, 120_000);

  it("a cluster joins another one's scheduler: each counts its own workers, and closing the owner closes both", async () => {
    await expect(manager.create({ kind: 'local', engine: 'dask', joins: 'nope' })).rejects.toMatchObject({
      field: 'joins',
    });
    await manager.create({
      kind: 'local',
      engine: 'dask',
      name: 'owner',
      scale: 1,
      options: { resources: { a: 1 } },
    });
    const joined = await manager.create({
      kind: 'local',
      engine: 'dask',
      name: 'guest',
      joins: 'owner',
      scale: 2,
      options: { resources: { b: 1 } },
    });
    expect(joined.schedulerAddress).toBe(manager.get('owner').schedulerAddress);
    await expect.poll(() => manager.get('guest').workers.connected, { timeout: 60_000 }).toBe(2);
    expect(manager.get('owner').workers.connected).toBe(1);
    expect(
      manager
        .metrics('guest')
        .workers.map((w) => w.name)
        .sort(),
    ).toEqual(['guest-0', 'guest-1']);
    await manager.close('owner');
    expect(manager.list()).toEqual([]);
  }, 120_000);

  it('an interpreter without Dask is a clear error, and nothing is left', async () => {
    await expect(
      manager.create({ kind: 'local', engine: 'dask', scale: 1, options: { python: '/bin/false' } }),
    ).rejects.toThrow(/Dask scheduler .* did not start/);
    expect(manager.list()).toEqual([]);
  }, 60_000);
});
