import WebSocket from 'ws';
import type { ClientEvent, ServerEvent } from '@drover/core/ui';
import type { ManagerEndpoint } from './manager-client';

/**
 * The manager's event socket (`/api/events`) from the extension host, reconnecting with backoff
 * until disposed; the subscription is sent again after each reconnect.
 *
 * #### Notes
 * The token goes in the `Authorization` header, never in the URL, so it cannot reach a log line.
 */
export class EventSocket {
  private socket: WebSocket | null = null;
  private cluster: string | null = null;
  private delay = 250;
  private disposed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly endpoint: ManagerEndpoint,
    private readonly onEvent: (event: ServerEvent) => void,
    private readonly onState: (connected: boolean) => void = () => {},
  ) {
    this.connect();
  }

  /** Streams tasks and metrics of one cluster (null: none). */
  subscribe(cluster: string | null): void {
    this.cluster = cluster;
    this.send({ type: 'subscribe', cluster });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retry);
    this.socket?.terminate();
  }

  private connect(): void {
    const url = new URL('api/events', this.endpoint.url);
    url.protocol = 'ws:';
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${this.endpoint.token}` } });
    this.socket = socket;
    socket.on('open', () => {
      this.delay = 250;
      this.onState(true);
      if (this.cluster !== null) this.send({ type: 'subscribe', cluster: this.cluster });
    });
    socket.on('message', (data) => this.onEvent(JSON.parse(String(data)) as ServerEvent));
    socket.on('error', () => {}); // 'close' follows and reconnects
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.onState(false);
      if (this.disposed) return;
      this.retry = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 5000);
    });
  }

  private send(event: ClientEvent): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(event));
  }
}
