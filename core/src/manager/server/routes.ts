import { importJobqueueSpecs } from '../jobqueue-import.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterManager } from '../cluster-manager.js';
import { ManagerError } from '../errors.js';
import { COMMON_HEADERS, readJson, sendJson } from './http-util.js';

/** What a route handler gets. */
export interface RouteContext {
  manager: ClusterManager;
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  params: string[];
}

type Handler = (context: RouteContext) => Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const NAME = '([^/]+)';
const route = (method: string, path: string, handler: Handler): Route => ({
  method,
  pattern: new RegExp(`^${path}$`),
  handler,
});
const ok = (c: RouteContext, body: unknown, status = 200): void => sendJson(c.response, status, body);
/** A path parameter, decoded; a malformed %-escape is the caller's mistake (400), not ours. */
function param(c: RouteContext, i = 0): string {
  try {
    return decodeURIComponent(c.params[i] ?? '');
  } catch {
    throw new ManagerError(
      400,
      'invalid-path',
      `${JSON.stringify(c.params[i])} has a malformed %-escape`,
      'path',
    );
  }
}

/**
 * Every API route, each a thin adapter from HTTP to one {@link ClusterManager} call; the README next
 * to this folder documents them.
 */
export const ROUTES: readonly Route[] = [
  route('GET', '/api/health', async (c) => ok(c, { pid: process.pid, status: 'ready' })),
  route('GET', '/api/spec', async (c) => ok(c, c.manager.describeSpec())),
  route('GET', '/api/spec/schema', async (c) => ok(c, c.manager.describeSpec().jsonSchema)),
  route('POST', '/api/render', async (c) => ok(c, c.manager.render(await readJson(c.request)))),
  route('POST', '/api/dry-run', async (c) => ok(c, await c.manager.dryRun(await readJson(c.request)))),
  route('POST', '/api/export', async (c) => {
    const file = c.manager.exportScript(await readJson(c.request));
    c.response
      .writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.fileName}"`,
      })
      .end(file.script);
  }),
  route('GET', '/api/clusters', async (c) => ok(c, c.manager.list())),
  route('POST', '/api/clusters', async (c) => ok(c, await c.manager.create(await readJson(c.request)), 201)),
  route('GET', `/api/clusters/${NAME}`, async (c) => ok(c, c.manager.get(param(c)))),
  route('PATCH', `/api/clusters/${NAME}`, async (c) => {
    const body = (await readJson(c.request)) as Record<string, unknown> | undefined;
    const name = param(c);
    if (!body || typeof body !== 'object' || (!('scale' in body) && !('adapt' in body)))
      throw new ManagerError(
        400,
        'invalid-spec',
        'send {"scale": n} or {"adapt": {"minimum": m, "maximum": M} | null}',
        'scale',
      );
    if ('scale' in body) await c.manager.scale(name, body.scale);
    if ('adapt' in body) await c.manager.adapt(name, body.adapt);
    ok(c, c.manager.get(name));
  }),
  route('DELETE', `/api/clusters/${NAME}`, async (c) => {
    await c.manager.close(param(c));
    ok(c, null, 204);
  }),
  route('GET', `/api/clusters/${NAME}/connection`, async (c) => ok(c, c.manager.connection(param(c)))),
  route('GET', `/api/clusters/${NAME}/metrics`, async (c) => ok(c, c.manager.metrics(param(c)))),
  route('GET', `/api/clusters/${NAME}/jobs`, async (c) => ok(c, c.manager.jobs(param(c)))),
  route('GET', `/api/clusters/${NAME}/job-script`, async (c) => ok(c, c.manager.jobScript(param(c)))),
  route('GET', `/api/clusters/${NAME}/jobs/${NAME}/log`, async (c) => {
    const text = await c.manager.jobLog(param(c), param(c, 1), {
      stream: c.url.searchParams.get('stream'),
      tail: Number(c.url.searchParams.get('tail') ?? 0),
    });
    c.response.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(text);
  }),
  route('POST', '/api/import/jobqueue', async (c) =>
    ok(c, importJobqueueSpecs(((await readJson(c.request)) as { yaml?: unknown } | undefined)?.yaml)),
  ),
  route('GET', '/api/profiles', async (c) => ok(c, await c.manager.listProfiles())),
  route('GET', `/api/profiles/${NAME}`, async (c) => ok(c, await c.manager.getProfile(param(c)))),
  route('PUT', `/api/profiles/${NAME}`, async (c) =>
    ok(c, await c.manager.saveProfile(param(c), await readJson(c.request))),
  ),
  route('DELETE', `/api/profiles/${NAME}`, async (c) => {
    await c.manager.deleteProfile(param(c));
    ok(c, null, 204);
  }),
];

/** The route for a method and path: the handler and its parameters, `405` or `404` otherwise. */
export function findRoute(method: string, path: string): { handler: Handler; params: string[] } {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method === method) return { handler: r.handler, params: m.slice(1) };
  }
  if (pathMatched) throw new ManagerError(405, 'method-not-allowed', `${method} is not served at ${path}`);
  throw new ManagerError(
    404,
    'no-route',
    `no route ${path}; see GET /api/spec, /api/clusters, /api/profiles`,
  );
}
