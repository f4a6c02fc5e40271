import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { privateHome, startServe } from '../helpers/serve.js';

describe('drover serve under load', () => {
  it('SIGTERM ends it within 5 s while requests are in flight: huge values, a cluster starting, a body still arriving', async () => {
    const serve = await startServe(privateHome());
    const url = new URL(serve.url);
    // A body that never finishes arriving, as a stalled or malicious client sends it.
    const stalled = request({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/api/render',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
    });
    stalled.on('error', () => {});
    stalled.write('{"kind": "slurm", "options": {"cores": ');
    const post = (path: string, body: unknown): Promise<unknown> =>
      fetch(serve.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(
        (r) => r.status,
        (e: Error) => e.message,
      );
    const inFlight = [
      ...Array.from({ length: 20 }, (_, i) =>
        post('/api/render', {
          kind: 'slurm',
          options: { cores: 999_999_999_999_989 - i * 2, memory: '1GB' },
        }),
      ),
      ...Array.from({ length: 5 }, () =>
        post('/api/render', { kind: 'pbs', options: { cores: 8, memory: '1e308', walltime: 1e308 } }),
      ),
      post('/api/clusters', { kind: 'local', name: 'starting', scale: 1 }),
    ];
    serve.process.child.kill('SIGTERM');
    // The property is the exit itself: exitCode throws unless the process is gone within 5 s.
    expect(await serve.process.exitCode(5000)).toBe(0);
    stalled.destroy();
    // Every request got an answer or lost its connection; none was left hanging.
    expect(await Promise.all(inFlight)).toHaveLength(26);
  });
});
