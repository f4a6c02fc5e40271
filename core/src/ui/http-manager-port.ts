/**
 * {@link ManagerPort} over the manager's HTTP API and event socket, with `fetch` and `WebSocket`
 * injected so the same code serves the dashboard page, a test in Node and any host with a base URL.
 */
import type * as Api from '../manager/api-types.js';
import { ApiRequestError } from './api-request-error.js';
import type {
  AdaptBounds,
  ClusterMetrics,
  ConnectionInfo,
  ConnectionListener,
  EventListener,
  EventSubscription,
  ExportedScript,
  HostHooks,
  JobLogOptions,
  ManagerPort,
  ScaleTarget,
} from './manager-port.js';

/**
 * The part of a WebSocket the port uses (the browser's, or `ws` in Node). The port only assigns the
 * handlers, so their parameter types are left to each implementation.
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((...args: never[]) => unknown) | null;
  onmessage: ((...args: never[]) => unknown) | null;
  onclose: ((...args: never[]) => unknown) | null;
}

/** A WebSocket constructor. */
export type SocketConstructor = new (url: string) => SocketLike;

/** Where the manager is, how to reach it and which host the port serves. */
export interface HttpManagerPortOptions {
  /** Base URL ending in `/` (e.g. `http://127.0.0.1:8787/`, or a proxy prefix). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer` and on the socket as `?token=`; empty when a proxy adds credentials. */
  token: string;
  /** The `fetch` to use (pass `globalThis.fetch.bind(globalThis)` in a page). */
  fetch: typeof fetch;
  /** The WebSocket constructor to use (`WebSocket` in a page). */
  WebSocket: SocketConstructor;
  /** The hooks of the host this port belongs to. */
  host: HostHooks;
}

const OPTION_NAMES = ['baseUrl', 'token', 'fetch', 'WebSocket', 'host'];

/** The manager over HTTP; every request rejects with {@link ApiRequestError} on an error answer. */
export class HttpManagerPort implements ManagerPort {
  readonly host: HostHooks;

  constructor(readonly options: HttpManagerPortOptions) {
    for (const key of Object.keys(options))
      if (!OPTION_NAMES.includes(key))
        throw new TypeError(`HttpManagerPort: unknown option ${key}; it takes ${OPTION_NAMES.join(', ')}`);
    if (typeof options.baseUrl !== 'string' || !options.baseUrl.endsWith('/'))
      throw new TypeError(
        'HttpManagerPort: baseUrl must be a URL ending in "/", e.g. http://127.0.0.1:8787/',
      );
    if (typeof options.fetch !== 'function' || typeof options.WebSocket !== 'function')
      throw new TypeError('HttpManagerPort: pass fetch and WebSocket (e.g. globalThis.fetch and WebSocket)');
    this.host = options.host;
  }

  spec(): Promise<Api.SpecDescription> {
    return this.json('GET', 'api/spec');
  }
  render(spec: Api.ClusterSpec): Promise<Api.RenderResult> {
    return this.json('POST', 'api/render', spec);
  }
  dryRun(spec: Api.ClusterSpec): Promise<Api.DryRunModel> {
    return this.json('POST', 'api/dry-run', spec);
  }
  clusters(): Promise<Api.ClusterModel[]> {
    return this.json('GET', 'api/clusters');
  }
  cluster(name: string): Promise<Api.ClusterModel> {
    return this.json('GET', clusterPath(name));
  }
  create(spec: Api.ClusterSpec): Promise<Api.ClusterModel> {
    return this.json('POST', 'api/clusters', spec);
  }
  scale(name: string, target: ScaleTarget): Promise<Api.ClusterModel> {
    return this.json('PATCH', clusterPath(name), { scale: target });
  }
  adapt(name: string, bounds: AdaptBounds): Promise<Api.ClusterModel> {
    return this.json('PATCH', clusterPath(name), { adapt: bounds });
  }
  async close(name: string): Promise<void> {
    await this.send('DELETE', clusterPath(name));
  }
  profiles(): Promise<Api.ProfileModel[]> {
    return this.json('GET', 'api/profiles');
  }
  saveProfile(name: string, spec: Api.ClusterSpec): Promise<Api.ProfileModel> {
    return this.json('PUT', `api/profiles/${encodeURIComponent(name)}`, spec);
  }
  async deleteProfile(name: string): Promise<void> {
    await this.send('DELETE', `api/profiles/${encodeURIComponent(name)}`);
  }
  async export(spec: Api.ClusterSpec): Promise<ExportedScript> {
    const response = await this.send('POST', 'api/export', spec);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'drover-job.sh';
    return { text: await response.text(), fileName };
  }
  jobs(cluster: string): Promise<Api.JobModel[]> {
    return this.json('GET', `${clusterPath(cluster)}/jobs`);
  }
  async jobLog(cluster: string, jobId: string, options: JobLogOptions = {}): Promise<string> {
    const query = new URLSearchParams({ stream: options.stream ?? 'stdout' });
    if (options.tail) query.set('tail', String(options.tail));
    const path = `${clusterPath(cluster)}/jobs/${encodeURIComponent(jobId)}/log?${query}`;
    return (await this.send('GET', path)).text();
  }
  metrics(cluster: string): Promise<ClusterMetrics> {
    return this.json('GET', `${clusterPath(cluster)}/metrics`);
  }
  connection(cluster: string): Promise<ConnectionInfo> {
    return this.json('GET', `${clusterPath(cluster)}/connection`);
  }

  events(onEvent: EventListener, onState?: ConnectionListener): EventSubscription {
    const url = new URL('api/events', this.options.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.options.token) url.searchParams.set('token', this.options.token);
    return new SocketSubscription(url.toString(), this.options.WebSocket, onEvent, onState);
  }

  /** A JSON request; `204` answers undefined. */
  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** Sends a request; error answers become {@link ApiRequestError}. */
  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.options.fetch(new URL(path, this.options.baseUrl), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) {
      let error: Api.ApiErrorBody['error'] = {
        code: 'http-' + response.status,
        message: response.statusText,
      };
      try {
        error = ((await response.json()) as Api.ApiErrorBody).error ?? error;
      } catch {
        // not JSON: keep the status text
      }
      throw new ApiRequestError(response.status, error.code, error.message, error.field);
    }
    return response;
  }
}

const clusterPath = (name: string): string => `api/clusters/${encodeURIComponent(name)}`;

/** `WebSocket.OPEN`, the same in every implementation. */
const OPEN = 1;

/** The event socket, reconnecting with backoff; the subscription is sent again after a reconnect. */
class SocketSubscription implements EventSubscription {
  private socket: SocketLike | null = null;
  private closed = false;
  private cluster: string | null = null;
  private delay = 250;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly url: string,
    private readonly Socket: SocketConstructor,
    private readonly onEvent: EventListener,
    private readonly onState?: ConnectionListener,
  ) {
    this.connect();
  }

  subscribe(cluster: string | null): void {
    this.cluster = cluster;
    this.send({ type: 'subscribe', cluster });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close();
  }

  private connect(): void {
    const socket = new this.Socket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 250;
      if (this.closed) return;
      this.onState?.(true);
      if (this.cluster !== null) this.send({ type: 'subscribe', cluster: this.cluster });
    };
    socket.onmessage = (message: { data: unknown }) => {
      if (!this.closed) this.onEvent(JSON.parse(String(message.data)) as Api.ServerEvent);
    };
    socket.onclose = () => {
      if (this.closed) return;
      this.onState?.(false);
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 5000);
    };
  }

  private send(event: Api.ClientEvent): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(event));
  }
}
