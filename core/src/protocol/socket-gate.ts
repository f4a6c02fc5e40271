import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { acceptConnection, DEFAULT_MAX_PAYLOAD, tokensEqual } from './handshake.js';
import type { Connection } from './connection.js';
import type { Hello, Role } from './messages.js';

/**
 * Largest frame a connection may send before it has proved it holds the token: a hello is a few
 * hundred bytes, so an unauthenticated peer can make this side hold at most this much per socket.
 */
export const PRE_HELLO_MAX_PAYLOAD = 4 * 1024;

/**
 * Sockets without the token at the upgrade allowed to wait for their hello at once; more are
 * refused (503). Peers that presented the token are never counted.
 */
export const MAX_PENDING_HELLOS = 256;

/** Options of {@link SocketGate}. */
export interface SocketGateOptions {
  token: string;
  roles: readonly Role[];
  /** Largest frame from a peer that presented the token at the upgrade. Default 512 MiB. */
  maxPayload?: number;
  /** Unsent bytes one connection may pile up before it is closed as not reading. Default 1 GiB. */
  maxBufferedBytes?: number;
  /** Unsent bytes over all connections of this gate before the one adding more is closed. Default 2 GiB. */
  maxTotalBufferedBytes?: number;
  helloTimeoutMs?: number;
}

/**
 * The door of every Drover WebSocket server (scheduler, worker data server): the token is checked
 * at the HTTP upgrade when the peer sends it there (`Authorization: Bearer …`, as Drover's own
 * peers do), and only such a peer may send large frames.
 *
 * #### Notes
 * ws fixes `maxPayload` per server, so the gate keeps two: one with the full limit for peers whose
 * upgrade carried the right token, one whose frames are capped at {@link PRE_HELLO_MAX_PAYLOAD}
 * for everyone else (they must still say a valid hello, and keep the small limit afterwards). ws
 * checks a frame's length in its header, before reading its body, so a large frame from an
 * unauthenticated peer is refused without being buffered. A wrong token at the upgrade is refused
 * with 401 before any WebSocket exists; at most {@link MAX_PENDING_HELLOS} sockets without it wait
 * for a hello at once.
 */
export class SocketGate {
  private readonly trusted: WebSocketServer;
  private readonly untrusted: WebSocketServer;
  private pending = 0;

  constructor(private readonly options: SocketGateOptions) {
    this.trusted = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      perMessageDeflate: false,
    });
    this.untrusted = new WebSocketServer({
      noServer: true,
      maxPayload: PRE_HELLO_MAX_PAYLOAD,
      perMessageDeflate: false,
    });
  }

  /** Every open socket, authenticated or not. */
  get clients(): WebSocket[] {
    return [...this.trusted.clients, ...this.untrusted.clients];
  }

  /** Takes an HTTP upgrade through the gate; `onAccepted` runs after a valid hello. */
  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    onAccepted: (connection: Connection, hello: Hello) => void,
  ): void {
    socket.on('error', () => socket.destroy());
    const presented = bearerToken(request);
    if (presented !== null && !tokensEqual(presented, this.options.token))
      return refuse(socket, 401, 'Unauthorized');
    const untrusted = presented === null;
    if (untrusted && this.pending >= MAX_PENDING_HELLOS) return refuse(socket, 503, 'Service Unavailable');
    if (untrusted) this.pending++;
    let counted = untrusted;
    const settle = (): void => {
      if (counted) this.pending--;
      counted = false;
    };
    socket.once('close', settle);
    const server = untrusted ? this.untrusted : this.trusted;
    server.handleUpgrade(request, socket, head, (ws) => {
      // A frame over the limit or a protocol violation: drop the socket now rather than wait
      // (ws's default: 30 s) for a peer that is still writing to answer the close.
      ws.on('error', () => ws.terminate());
      acceptConnection(
        ws,
        {
          token: this.options.token,
          roles: this.options.roles,
          ...(this.options.helloTimeoutMs ? { helloTimeoutMs: this.options.helloTimeoutMs } : {}),
          sendLimits: {
            maxBufferedBytes: this.options.maxBufferedBytes ?? 1 << 30,
            maxTotalBufferedBytes: this.options.maxTotalBufferedBytes ?? 2 ** 31,
            totalBuffered: () => this.bufferedBytes(),
          },
        },
        (connection, hello) => {
          settle();
          onAccepted(connection, hello);
        },
      );
    });
  }

  /** Unsent bytes over every open socket. */
  bufferedBytes(): number {
    let total = 0;
    for (const ws of this.trusted.clients) total += ws.bufferedAmount;
    return total;
  }

  /** Drops every socket and stops accepting. */
  close(): void {
    for (const ws of this.clients) ws.terminate();
    this.trusted.close();
    this.untrusted.close();
  }
}

/** The token of an `Authorization: Bearer …` header, or null without one. */
function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return null;
  return header.slice(7).trim();
}

/** Answers an upgrade with an HTTP error and drops the socket once that is sent, read or not. */
export function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, () =>
    socket.destroy(),
  );
}
