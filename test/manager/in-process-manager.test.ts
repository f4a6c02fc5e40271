import { readFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ClusterManager, type LogRecord, type ManagerSession, type ServerEvent } from '@drover/core';
import { childPids, waitFor } from '../helpers/processes.js';

// A host (an editor's extension process) embeds the manager: no HTTP, its own Node for the workers,
// its own idea of where Drover is installed, and its own log panel.
const INSTALL_ROOT = fileURLToPath(new URL('../..', import.meta.url));

let dir: string;
let nodeLink: string;
let manager: ClusterManager;
let session: ManagerSession;
const events: ServerEvent[] = [];
const logs: LogRecord[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drover-in-process-'));
  // A Node binary at a path of the host's choosing, so its use by the workers can be seen.
  nodeLink = join(dir, 'host-node');
  symlinkSync(process.execPath, nodeLink);
  manager = await ClusterManager.open({
    stateDirectory: join(dir, 'state'),
    profilesPath: join(dir, 'profiles.yaml'),
    nodePath: nodeLink,
    installRoot: INSTALL_ROOT,
    logSink: (record) => logs.push(record),
  });
  session = manager.openSession((event) => events.push(event));
});

afterAll(async () => {
  session?.close();
  await manager?.closeAll();
  rmSync(dir, { recursive: true, force: true });
  expect(childPids(), 'worker processes left').toEqual([]);
});

const ofType = <T extends ServerEvent['type']>(type: T): Extract<ServerEvent, { type: T }>[] =>
  events.filter((e): e is Extract<ServerEvent, { type: T }> => e.type === type);

describe('the manager in-process, without HTTP', () => {
  it('a local cluster: created, runs tasks, streams events to a session, scales and closes', async () => {
    expect(ofType('hello')).toHaveLength(1);
    expect(ofType('hello')[0]!.clusters).toEqual([]);

    const model = await manager.create({ kind: 'local', name: 'embedded', scale: 1 });
    expect(model).toMatchObject({ name: 'embedded', state: 'running', workers: { connected: 1 } });
    expect(ofType('cluster').some((e) => e.cluster.name === 'embedded')).toBe(true);

    // The workers run on the host's Node and the host's Drover installation.
    const workers = childPids();
    expect(workers).toHaveLength(1);
    const argv = readFileSync(`/proc/${workers[0]}/cmdline`, 'utf8').split('\0');
    expect(argv[0]).toBe(nodeLink);
    expect(argv[1]).toBe(join(INSTALL_ROOT, 'core', 'bin', 'drover.mjs'));

    session.watch('embedded');
    const address = /"(ws:[^"]+)"/.exec(model.clientCode)![1]!;
    const client = await Client.connect(address);
    try {
      const futures = Array.from({ length: 40 }, (_, i) =>
        client.with({ key: `embedded-${i}` }).submit((x: number) => x * 2, i),
      );
      expect(await client.gather(futures)).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    } finally {
      await client.close();
    }
    await waitFor(
      () => ofType('tasks').reduce((n, e) => n + e.batch.tasks, 0) >= 40,
      10_000,
      'task batches for 40 tasks',
    );
    expect(ofType('tasks')[0]!.batch.reset).toBe(true);
    expect(ofType('tasks').flatMap((e) => e.batch.newGroups)).toContain('embedded');
    await waitFor(() => ofType('metrics').some((e) => e.workers.length === 1), 5_000, 'metrics');
    expect(manager.metrics('embedded').workers.map((w) => w.nthreads)).toEqual([1]);

    const scaled = await manager.scale('embedded', 2);
    expect(scaled.workers.requested).toBe(2);
    await waitFor(() => manager.get('embedded').workers.connected === 2, 30_000, 'a second worker');
    expect(childPids()).toHaveLength(2);
    await waitFor(
      () => ofType('cluster').some((e) => e.cluster.name === 'embedded' && e.cluster.workers.connected === 2),
      10_000,
      'a cluster event with two workers',
    );

    // The host's log sink got the library's records, the scheduler's among them.
    expect(logs.some((r) => r.component === 'scheduler' && /joined/.test(r.message))).toBe(true);
    expect(logs.every((r) => r.text.includes(r.message))).toBe(true);

    await manager.close('embedded');
    expect(ofType('cluster-removed').map((e) => e.name)).toContain('embedded');
    expect(manager.list()).toEqual([]);
    expect(childPids()).toEqual([]);
  });

  it('previews, dry-runs and exports without HTTP; a batch job starts the host Node and Drover', async () => {
    const spec = { kind: 'slurm', options: { cores: 2, memory: '4GB', walltime: '00:10:00' } };
    const preview = manager.render(spec);
    expect(preview.language).toBe('bash');
    expect(preview.script).toContain(`${nodeLink} ${join(INSTALL_ROOT, 'core', 'bin', 'drover.mjs')} worker`);
    const file = manager.exportScript(spec);
    expect(file).toMatchObject({ script: preview.script, contentType: 'text/x-shellscript; charset=utf-8' });
    expect(file.fileName).toMatch(/^drover-slurm-[A-Za-z0-9_.-]+\.sh$/);
    expect(await manager.dryRun({ kind: 'local' })).toMatchObject({ accepted: true, command: null });
    expect(() => manager.render({ kind: 'slurm', options: { cores: 2, memory: 'lots' } })).toThrow(/memory/);
  });

  it('a closed session hears nothing more', async () => {
    const late: ServerEvent[] = [];
    const other = manager.openSession((event) => late.push(event));
    expect(late.map((e) => e.type)).toEqual(['hello']);
    other.close();
    await manager.create({ kind: 'local', name: 'after-close', scale: 0 });
    await manager.close('after-close');
    expect(late.map((e) => e.type)).toEqual(['hello']);
    expect(ofType('cluster-removed').map((e) => e.name)).toContain('after-close');
  });
});
