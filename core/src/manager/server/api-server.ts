import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ClusterManager } from '../cluster-manager.js';
import { dashboardDirectoryOf } from '../../installation.js';
import { ManagerError } from '../errors.js';
import { originAllowed, presentedToken, tokenMatches } from './access.js';
import { EventSocket } from './event-socket.js';
import { COMMON_HEADERS, sendError } from './http-util.js';
import { findRoute } from './routes.js';
import { refuse as refuseUpgrade } from '../../protocol/socket-gate.js';
import { isStaticPath, serveStatic } from './static-files.js';

/** Event sockets open at once; a tab or editor holds one each. */
const MAX_EVENT_SOCKETS = 256;

/** The request's URL; a target that is no URL path is a 400, not a crash. */
function requestUrl(request: IncomingMessage): URL {
  try {
    return new URL(request.url ?? '/', 'http://drover');
  } catch {
    throw new ManagerError(400, 'invalid-path', `${JSON.stringify(request.url)} is not a URL path`);
  }
}

/** Options of {@link ApiServer.start}. */
export interface ApiServerOptions {
  manager: ClusterManager;
  /** Interface to bind. Default 127.0.0.1: nothing off this machine reaches the API. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Every request and socket must present it. Default: random, 32 bytes. */
  token?: string;
  /** Origins (e.g. `http://localhost:8888`) allowed to call the API from a browser; default none. */
  corsOrigins?: readonly string[];
}

/**
 * `drover serve`: the manager's HTTP + WebSocket API and the dashboard, on one port.
 *
 * #### Notes
 * Every route, the dashboard files included, needs the token (`Authorization: Bearer …` or
 * `?token=`); a missing or wrong one gets 401. A browser request from an origin that is neither the
 * server's own nor on the allow-list gets 403, so another web page cannot drive the API.
 */
export class ApiServer {
  private readonly server: Server;
  // Browsers only ever send a subscribe message of a few dozen bytes on the event socket.
  private readonly sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 4 * 1024,
    perMessageDeflate: false,
  });
  private readonly events = new Set<EventSocket>();
  /** `http://host:port` once listening. */
  url = '';

  private constructor(
    readonly manager: ClusterManager,
    readonly token: string,
    private readonly corsOrigins: readonly string[],
  ) {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
  }

  /** Starts listening; resolves once the port is open. */
  static async start(options: ApiServerOptions): Promise<ApiServer> {
    const token = options.token || randomBytes(32).toString('base64url');
    const api = new ApiServer(options.manager, token, options.corsOrigins ?? []);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      api.server.once('error', reject);
      api.server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = api.server.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    api.url = `http://${shown}:${port}`;
    return api;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The dashboard's address with the token, as printed for people. */
  get dashboardUrl(): string {
    return `${this.url}/?token=${encodeURIComponent(this.token)}`;
  }

  /** Closes the sockets and the port; the manager's clusters are the caller's to close. */
  async close(): Promise<void> {
    for (const events of this.events) events.dispose();
    for (const ws of this.sockets.clients) ws.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = requestUrl(request);
      if (!originAllowed(request, this.corsOrigins))
        throw new ManagerError(
          403,
          'cors-refused',
          `origin ${request.headers.origin} may not use this API; start drover serve with --cors-origin ${request.headers.origin} to allow it`,
        );
      if (request.headers.origin && request.headers.origin !== `http://${request.headers.host}`) {
        response.setHeader('access-control-allow-origin', request.headers.origin);
        response.setHeader('vary', 'Origin');
      }
      if (request.method === 'OPTIONS') {
        response
          .writeHead(204, {
            ...COMMON_HEADERS,
            'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
            'access-control-allow-headers': 'authorization, content-type',
            'access-control-max-age': '600',
          })
          .end();
        return;
      }
      if (!tokenMatches(presentedToken(request, url), this.token))
        throw new ManagerError(
          401,
          'unauthorized',
          'missing or wrong token: send Authorization: Bearer <token> or ?token=<token> (drover serve prints it)',
        );
      if (request.method === 'GET' && isStaticPath(url.pathname)) {
        const given = url.searchParams.get('token');
        const tokenQuery = given ? `?token=${encodeURIComponent(given)}` : '';
        await serveStatic(
          dashboardDirectoryOf(this.manager.installation),
          url.pathname,
          tokenQuery,
          response,
        );
        return;
      }
      const { handler, params } = findRoute(request.method ?? 'GET', url.pathname);
      await handler({ manager: this.manager, request, response, url, params });
    } catch (error) {
      sendError(response, error);
    }
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, text: string): void => refuseUpgrade(socket, status, text);
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = requestUrl(request);
    } catch {
      return refuse(400, 'Bad Request');
    }
    if (!originAllowed(request, this.corsOrigins)) return refuse(403, 'Forbidden');
    if (!tokenMatches(presentedToken(request, url), this.token)) return refuse(401, 'Unauthorized');
    if (url.pathname !== '/api/events') return refuse(404, 'Not Found');
    if (this.events.size >= MAX_EVENT_SOCKETS) return refuse(503, 'Service Unavailable');
    this.sockets.handleUpgrade(request, socket, head, (ws) => {
      const events = new EventSocket(ws, this.manager);
      this.events.add(events);
      ws.on('close', () => this.events.delete(events));
    });
  }
}
