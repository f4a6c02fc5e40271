import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { errorOf, startApi, type TestApi } from '../helpers/api.js';

// Every route of the API, with a body where it takes one.
const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/'],
  ['GET', '/dashboard.js'],
  ['GET', '/dashboard.css'],
  ['GET', '/api/health'],
  ['GET', '/api/spec'],
  ['GET', '/api/spec/schema'],
  ['POST', '/api/render', { kind: 'local' }],
  ['POST', '/api/dry-run', { kind: 'local' }],
  ['POST', '/api/export', { kind: 'local' }],
  ['GET', '/api/clusters'],
  ['POST', '/api/clusters', { kind: 'local', scale: 0 }],
  ['GET', '/api/clusters/x'],
  ['PATCH', '/api/clusters/x', { scale: 1 }],
  ['DELETE', '/api/clusters/x'],
  ['GET', '/api/clusters/x/metrics'],
  ['GET', '/api/clusters/x/jobs'],
  ['GET', '/api/clusters/x/jobs/1/log'],
  ['GET', '/api/profiles'],
  ['GET', '/api/profiles/p'],
  ['PUT', '/api/profiles/p', { kind: 'local' }],
  ['DELETE', '/api/profiles/p'],
];

let api: TestApi;
beforeAll(async () => {
  api = await startApi({ corsOrigins: ['http://localhost:8888'] });
});
afterAll(async () => {
  await api.close();
  expect(await api.call('GET', '/api/clusters').catch(() => 'closed')).toBe('closed');
});

/** Opens the event socket and resolves with the HTTP status of a refused upgrade, or 101. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

describe('API authentication and CORS', () => {
  it('every route answers 401 without a token and with a wrong one, in the error format', async () => {
    for (const [method, path, body] of ROUTES) {
      for (const token of [null, 'wrong-token']) {
        const answer = await api.call(method, path, { body, token });
        expect(answer.status, `${method} ${path} with token ${token}`).toBe(401);
        expect(errorOf(answer).code).toBe('unauthorized');
        expect(errorOf(answer).message).toMatch(/Authorization: Bearer/);
      }
    }
    expect(await api.manager.list()).toEqual([]); // nothing was created
  });

  it('accepts the token as ?token= as well as Authorization: Bearer', async () => {
    const answer = await api.call('GET', `/api/health?token=${encodeURIComponent(api.token)}`, {
      token: null,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ pid: process.pid, status: 'ready' });
  });

  it('the event socket needs the token too', async () => {
    const ws = api.url.replace('http', 'ws') + '/api/events';
    expect(await upgradeStatus(ws)).toBe(401);
    expect(await upgradeStatus(`${ws}?token=wrong`)).toBe(401);
    expect(await upgradeStatus(`${ws}?token=${encodeURIComponent(api.token)}`)).toBe(101);
    expect(await upgradeStatus(ws, { authorization: `Bearer ${api.token}` })).toBe(101);
  });

  it('refuses browsers from other origins (403, before the token is even looked at); allows the allow-list', async () => {
    const evil = await api.call('GET', '/api/clusters', { headers: { origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    expect(errorOf(evil).code).toBe('cors-refused');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await api.call('OPTIONS', '/api/clusters', {
      token: null,
      headers: { origin: 'http://evil.example' },
    });
    expect(preflight.status).toBe(403);
    const ws = api.url.replace('http', 'ws') + `/api/events?token=${encodeURIComponent(api.token)}`;
    expect(await upgradeStatus(ws, { origin: 'http://evil.example' })).toBe(403);

    const allowed = await api.call('GET', '/api/clusters', { headers: { origin: 'http://localhost:8888' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:8888');
    const allowedPreflight = await api.call('OPTIONS', '/api/clusters', {
      token: null,
      headers: { origin: 'http://localhost:8888' },
    });
    expect(allowedPreflight.status).toBe(204);
    expect(allowedPreflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const sameOrigin = await api.call('GET', '/api/clusters', { headers: { origin: api.url } });
    expect(sameOrigin.status).toBe(200);
  });

  it('serves the dashboard with a Content-Security-Policy that keeps every request on this server', async () => {
    const page = await api.call('GET', `/?token=${encodeURIComponent(api.token)}`, { token: null });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(String(page.body)).toContain(`dashboard.js?token=${encodeURIComponent(api.token)}`);
    expect(String(page.body)).not.toMatch(/https?:\/\//); // no other origin is referenced
  });
});
