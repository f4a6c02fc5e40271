import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dryRunJob } from '../../jobqueue/batch-client.js';
import { getBatchSystem } from '../../jobqueue/backends/index.js';
import type { BatchKind, JobQueueOptions } from '../../jobqueue/options.js';
import { prepareJobScript } from '../../jobqueue/render.js';
import { commandRunner } from '../../jobqueue/run-command.js';
import type { DryRunModel, SpecDescription } from '../api-types.js';
import { canStart } from '../cluster-factory.js';
import type { ClusterManager } from '../cluster-manager.js';
import { ManagerError } from '../errors.js';
import { renderPreview } from '../preview.js';
import { CLUSTER_KINDS, KIND_LABELS, specFields } from '../spec/fields.js';
import { clusterSpecJsonSchema } from '../spec/json-schema.js';
import { validateClusterSpec } from '../spec/validate-spec.js';
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
const param = (c: RouteContext, i = 0): string => decodeURIComponent(c.params[i] ?? '');

function describeSpec(): SpecDescription {
  return {
    kinds: CLUSTER_KINDS.map((kind) => ({
      kind,
      label: KIND_LABELS[kind],
      available: canStart(kind),
      ...(canStart(kind)
        ? {}
        : { note: 'preview, dry run and export only: this build cannot start batch clusters' }),
    })),
    fields: specFields(),
    jsonSchema: clusterSpecJsonSchema(),
  };
}

async function dryRun(body: unknown): Promise<DryRunModel> {
  const spec = validateClusterSpec(body);
  if (spec.kind === 'local')
    return {
      accepted: true,
      message: 'a local cluster needs no batch system; the spec passed every check',
      command: null,
    };
  const rendered = prepareJobScript(spec.kind, spec.options as unknown as JobQueueOptions);
  try {
    return await dryRunJob(
      getBatchSystem(spec.kind as BatchKind),
      rendered.job,
      rendered.script,
      commandRunner(),
    );
  } catch (e) {
    throw new ManagerError(
      502,
      'batch-command-failed',
      `the ${spec.kind} dry run could not run: ${(e as Error).message}`,
    );
  }
}

async function jobLog(c: RouteContext): Promise<void> {
  const managed = c.manager.managed(param(c));
  const jobs = managed.jobModels();
  if (jobs === null)
    throw new ManagerError(
      404,
      'no-jobs',
      `${managed.name} is a local cluster; it has no batch jobs or job logs`,
    );
  const job = jobs.find((j) => j.jobId === param(c, 1));
  if (!job) throw new ManagerError(404, 'not-found', `cluster ${managed.name} has no job ${param(c, 1)}`);
  const stream = c.url.searchParams.get('stream') ?? 'stdout';
  if (stream !== 'stdout' && stream !== 'stderr')
    throw new ManagerError(400, 'invalid-parameter', 'stream must be stdout or stderr', 'stream');
  const path = stream === 'stdout' ? job.stdoutPath : job.stderrPath;
  if (!path)
    throw new ManagerError(
      404,
      'no-log',
      `job ${job.jobId} writes its ${stream} where the batch system puts it by default; set logDirectory to have Drover find it`,
    );
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ManagerError(404, 'no-log', `cannot read ${path} yet: ${(e as Error).message}`);
  }
  const tail = Number(c.url.searchParams.get('tail') ?? 0);
  const lines = tail > 0 ? text.split('\n').slice(-tail).join('\n') : text;
  c.response.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(lines);
}

/** Every API route; the README next to this folder documents them. */
export const ROUTES: readonly Route[] = [
  route('GET', '/api/health', async (c) => ok(c, { pid: process.pid, status: 'ready' })),
  route('GET', '/api/spec', async (c) => ok(c, describeSpec())),
  route('GET', '/api/spec/schema', async (c) => ok(c, clusterSpecJsonSchema())),
  route('POST', '/api/render', async (c) =>
    ok(c, renderPreview(validateClusterSpec(await readJson(c.request)))),
  ),
  route('POST', '/api/dry-run', async (c) => ok(c, await dryRun(await readJson(c.request)))),
  route('POST', '/api/export', async (c) => {
    const preview = renderPreview(validateClusterSpec(await readJson(c.request)));
    c.response
      .writeHead(200, {
        ...COMMON_HEADERS,
        'content-type':
          preview.language === 'bash' ? 'text/x-shellscript; charset=utf-8' : 'text/plain; charset=utf-8',
        'content-disposition': `attachment; filename="${preview.fileName.replace(/[^A-Za-z0-9_.-]/g, '_')}"`,
      })
      .end(preview.script);
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
  route('GET', `/api/clusters/${NAME}/metrics`, async (c) => ok(c, c.manager.managed(param(c)).metrics())),
  route('GET', `/api/clusters/${NAME}/jobs`, async (c) =>
    ok(c, c.manager.managed(param(c)).jobModels() ?? []),
  ),
  route('GET', `/api/clusters/${NAME}/jobs/${NAME}/log`, jobLog),
  route('GET', '/api/profiles', async (c) => ok(c, await c.manager.profiles.list())),
  route('GET', `/api/profiles/${NAME}`, async (c) => ok(c, await c.manager.profiles.get(param(c)))),
  route('PUT', `/api/profiles/${NAME}`, async (c) =>
    ok(c, await c.manager.profiles.save(param(c), await readJson(c.request))),
  ),
  route('DELETE', `/api/profiles/${NAME}`, async (c) => {
    await c.manager.profiles.remove(param(c));
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
