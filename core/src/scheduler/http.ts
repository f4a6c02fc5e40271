import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toPrometheus, type SchedulerStatus } from './status.js';
import type { TaskStream } from './task-stream.js';

/** What the HTTP routes read (a `Scheduler`). */
export interface HttpSource {
  readonly token: string;
  readonly taskStream: TaskStream;
  status(): SchedulerStatus;
}

/**
 * The scheduler's HTTP routes, on the same port as its WebSocket:
 * `GET /health` (no token), `GET /status` (JSON), `GET /metrics` (Prometheus text),
 * `GET /task-stream?since=N` (JSON events). The token comes as `Authorization: Bearer …` or `?token=`.
 */
export function handleHttp(scheduler: HttpSource, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://scheduler');
  if (request.method !== 'GET') return send(response, 405, { error: 'only GET is served here' });
  if (url.pathname === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (!authorized(request, url, scheduler.token)) {
    return send(response, 401, { error: 'missing or wrong token: pass ?token=… or Authorization: Bearer …' });
  }
  switch (url.pathname) {
    case '/status':
      return send(response, 200, scheduler.status());
    case '/metrics':
      response
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
        .end(toPrometheus(scheduler.status()));
      return;
    case '/task-stream':
      return send(response, 200, scheduler.taskStream.since(Number(url.searchParams.get('since')) || 0));
    default:
      return send(response, 404, {
        error: `no route ${url.pathname}; try /health, /status, /metrics, /task-stream`,
      });
  }
}

function authorized(request: IncomingMessage, url: URL, token: string): boolean {
  const header = request.headers.authorization;
  const given = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('token');
  if (!given) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
