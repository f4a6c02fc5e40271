import { describe, expect, it } from 'vitest';
import type { ClusterModel } from '@drover/core';
import { childPids, isAlive, startDrover, waitFor } from '../helpers/processes.js';
import { privateHome, startServe } from '../helpers/serve.js';

describe('drover serve', () => {
  it('--port 0 picks a free port and prints the dashboard URL with its token; /api/health answers with the pid', async () => {
    const serve = await startServe(privateHome());
    expect(serve.process.output()).toContain(`${serve.url}/?token=${serve.token}`);
    expect(Number(new URL(serve.url).port)).toBeGreaterThan(0);
    expect(await serve.call('GET', '/api/health')).toEqual({
      status: 200,
      body: { pid: serve.pid, status: 'ready' },
    });
    const page = await fetch(`${serve.url}/?token=${serve.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="drover"');
  });

  it('takes the token from DROVER_TOKEN and refuses any other', async () => {
    const serve = await startServe(privateHome(), [], 'from-the-environment');
    expect(serve.process.output()).toContain('?token=from-the-environment');
    const wrong = await fetch(`${serve.url}/api/health`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('binds 127.0.0.1 unless --host says otherwise', async () => {
    const serve = await startServe(privateHome());
    expect(new URL(serve.url).hostname).toBe('127.0.0.1');
  });

  it('SIGTERM stops it and the clusters it started within 5 s', async () => {
    const serve = await startServe(privateHome());
    const created = await serve.call('POST', '/api/clusters', { kind: 'local', name: 'doomed', scale: 2 });
    expect((created.body as ClusterModel).workers.connected).toBe(2);
    // Its own workers only: other suites may run workers at the same time.
    const workers = childPids(serve.pid);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    const started = Date.now();
    await serve.process.stop('SIGTERM');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(serve.process.child.exitCode).toBe(0);
    await waitFor(() => workers.every((pid) => !isAlive(pid)), 5000, 'worker processes to exit');
  });

  it('with --exit-with-stdin it exits, closing its clusters, when its stdin closes', async () => {
    const serve = await startServe(privateHome(), ['--exit-with-stdin']);
    await serve.call('POST', '/api/clusters', { kind: 'local', scale: 1 });
    const workers = childPids(serve.pid);
    expect(workers.length).toBeGreaterThanOrEqual(1);
    serve.process.child.stdin!.end();
    await waitFor(() => !isAlive(serve.pid), 5000, 'drover serve to exit after stdin closed');
    await waitFor(() => workers.every((pid) => !isAlive(pid)), 5000, 'worker processes to exit');
  });

  it('without --exit-with-stdin, a closed stdin does not stop it', async () => {
    const serve = await startServe(privateHome());
    serve.process.child.stdin!.end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await serve.call('GET', '/api/health')).status).toBe(200);
  });

  it('refuses a malformed --cors-origin with a usage error', async () => {
    const child = startDrover(['serve', '--port', '0', '--cors-origin', 'evil'], privateHome());
    await child.line(/--cors-origin takes an origin/);
    await waitFor(() => child.child.exitCode !== null, 5000, 'exit');
    expect(child.child.exitCode).toBe(2);
  });
});
