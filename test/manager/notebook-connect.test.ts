import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { clusters, connect } from '@drover/core/notebook';
import { onCleanup } from '../helpers/cluster.js';
import { waitFor } from '../helpers/processes.js';
import { privateHome, startServe, type ServeProcess } from '../helpers/serve.js';

/** A manager in a private runtime dir, which this process's lookups then use. */
async function manager(): Promise<ServeProcess> {
  const runtime = mkdtempSync(join(tmpdir(), 'drover-runtime-'));
  onCleanup(() => rmSync(runtime, { recursive: true, force: true }));
  const serve = await startServe({ ...privateHome(), XDG_RUNTIME_DIR: runtime });
  const file = join(runtime, 'drover', `serve-${serve.pid}.json`);
  await waitFor(async () => (await import('node:fs')).existsSync(file), 5000, 'the manager file');
  process.env.DROVER_MANAGER_FILE = file;
  return serve;
}

afterEach(() => {
  delete process.env.DROVER_MANAGER_FILE;
});

describe('connect() from @drover/core/notebook', () => {
  it('connects to the only cluster of the manager found through its file, and computes', async () => {
    const serve = await manager();
    await serve.call('POST', '/api/clusters', { kind: 'local', name: 'nb', scale: 1 });
    const client = await connect();
    onCleanup(() => client.close());
    expect(await client.submit((x: number) => x * 7, 6)).toBe(42);
    expect((await clusters()).map((c) => [c.name, c.engine])).toEqual([['nb', 'drover']]);
  });

  it('with several clusters it needs a name, and the error lists them; a wrong name lists them too', async () => {
    const serve = await manager();
    await serve.call('POST', '/api/clusters', { kind: 'local', name: 'one', scale: 1 });
    await serve.call('POST', '/api/clusters', { kind: 'local', name: 'two', scale: 1 });
    await expect(connect()).rejects.toThrow(
      /2 Drover-engine clusters are running; say which: connect\("one"\).*two \(drover engine, local, running\)/,
    );
    await expect(connect('three')).rejects.toThrow(/no cluster named 'three'; the manager has: one .*, two /);
    const client = await connect('two');
    onCleanup(() => client.close());
    expect(await client.submit((x: number) => x + 1, 1)).toBe(2);
  });

  it('with no cluster it says how to start one; with no manager it says how to start that', async () => {
    await manager();
    await expect(connect()).rejects.toThrow(
      /no running Drover-engine cluster to connect to \(the manager has: none\)/,
    );
    process.env.DROVER_MANAGER_FILE = '/nonexistent/serve-1.json';
    await expect(connect()).rejects.toThrow(/DROVER_MANAGER_FILE names \/nonexistent\/serve-1.json/);
    await expect(connect('')).rejects.toThrow(/name: give a cluster's name/);
    await expect(connect(undefined, { timeout: 5 } as never)).rejects.toThrow(
      /connect: unknown option 'timeout'; the options are name, timeoutMs, tlsCa/,
    );
  });

  it('the connection route gives address and token only with the manager token', async () => {
    const serve = await manager();
    await serve.call('POST', '/api/clusters', { kind: 'local', name: 'c', scale: 1 });
    const { status, body } = await serve.call('GET', '/api/clusters/c/connection');
    expect(status).toBe(200);
    expect(body).toEqual({
      engine: 'drover',
      address: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/),
      token: expect.any(String),
    });
    expect((await fetch(`${serve.url}/api/clusters/c/connection`)).status).toBe(401);
    expect((await serve.call('GET', '/api/clusters/nope/connection')).status).toBe(404);
  });
});
