import type {
  ApiErrorBody,
  ClientEvent,
  ClusterModel,
  ClusterSpec,
  DryRunModel,
  ProfileModel,
  RenderResult,
  ServerEvent,
  SpecDescription,
} from '../manager/api-types.js';
import { ApiRequestError } from './api-request-error.js';

export { ApiRequestError };

/** Where the manager is and how to authenticate. */
export interface ApiOptions {
  /** Base URL ending in `/` (e.g. `http://127.0.0.1:8787/`, or a Jupyter proxy prefix). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`; empty when a proxy in front adds the credentials. */
  token: string;
}

/**
 * The manager API from a browser: JSON requests with the token and the event socket.
 *
 * #### Notes
 * Uses only `fetch` and `WebSocket`, so the same code runs in the dashboard page, a JupyterLab
 * panel and a VS Code webview (each passes its own base URL).
 */
export class DroverApi {
  constructor(readonly options: ApiOptions) {}

  spec(): Promise<SpecDescription> {
    return this.request('GET', 'api/spec');
  }
  render(spec: ClusterSpec): Promise<RenderResult> {
    return this.request('POST', 'api/render', spec);
  }
  dryRun(spec: ClusterSpec): Promise<DryRunModel> {
    return this.request('POST', 'api/dry-run', spec);
  }
  clusters(): Promise<ClusterModel[]> {
    return this.request('GET', 'api/clusters');
  }
  create(spec: ClusterSpec): Promise<ClusterModel> {
    return this.request('POST', 'api/clusters', spec);
  }
  scale(name: string, scale: number): Promise<ClusterModel> {
    return this.request('PATCH', `api/clusters/${encodeURIComponent(name)}`, { scale });
  }
  adapt(name: string, adapt: { minimum: number; maximum: number } | null): Promise<ClusterModel> {
    return this.request('PATCH', `api/clusters/${encodeURIComponent(name)}`, { adapt });
  }
  close(name: string): Promise<void> {
    return this.request('DELETE', `api/clusters/${encodeURIComponent(name)}`);
  }
  profiles(): Promise<ProfileModel[]> {
    return this.request('GET', 'api/profiles');
  }
  saveProfile(name: string, spec: ClusterSpec): Promise<ProfileModel> {
    return this.request('PUT', `api/profiles/${encodeURIComponent(name)}`, spec);
  }

  /** The exported job script as a file (a Blob and its name). */
  async export(spec: ClusterSpec): Promise<{ blob: Blob; fileName: string }> {
    const response = await this.fetch('POST', 'api/export', spec);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'drover-job.sh';
    return { blob: await response.blob(), fileName };
  }

  /** A JSON request; error answers become {@link ApiRequestError}. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** Opens the event socket; it reconnects by itself until closed. */
  events(onEvent: (event: ServerEvent) => void, onState?: (connected: boolean) => void): EventStream {
    const url = new URL('api/events', this.options.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.options.token) url.searchParams.set('token', this.options.token);
    return new EventStream(url.toString(), onEvent, onState);
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, this.options.baseUrl), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) {
      let error: ApiErrorBody['error'] = { code: 'http-' + response.status, message: response.statusText };
      try {
        error = ((await response.json()) as ApiErrorBody).error ?? error;
      } catch {
        // not JSON: keep the status text
      }
      throw new ApiRequestError(response.status, error.code, error.message, error.field);
    }
    return response;
  }
}

/** The event socket, reconnecting with backoff; the subscription is sent again after a reconnect. */
export class EventStream {
  private socket: WebSocket | null = null;
  private closed = false;
  private cluster: string | null = null;
  private delay = 250;

  constructor(
    private readonly url: string,
    private readonly onEvent: (event: ServerEvent) => void,
    private readonly onState?: (connected: boolean) => void,
  ) {
    this.connect();
  }

  /** Streams tasks and metrics of one cluster (null: none). */
  subscribe(cluster: string | null): void {
    this.cluster = cluster;
    this.send({ type: 'subscribe', cluster });
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 250;
      this.onState?.(true);
      if (this.cluster !== null) this.send({ type: 'subscribe', cluster: this.cluster });
    };
    socket.onmessage = (message) => this.onEvent(JSON.parse(String(message.data)) as ServerEvent);
    socket.onclose = () => {
      this.onState?.(false);
      if (this.closed) return;
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 5000);
    };
  }

  private send(event: ClientEvent): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(event));
  }
}
