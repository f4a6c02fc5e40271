import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloseCode } from '../protocol/close-codes.js';
import type { Connection } from '../protocol/connection.js';
import type { DataServerToPeer, PeerToDataServer } from '../protocol/operations.js';
import { SocketGate } from '../protocol/socket-gate.js';
import { createServer, schemes, type TlsMaterial } from '../protocol/tls.js';
import type { DataStore } from './data-store.js';

/** Largest request a peer may send: a list of keys, never data (16 MiB is ~100,000 keys). */
const GET_DATA_MAX_PAYLOAD = 16 << 20;

/**
 * Where peers and clients fetch this worker's results: `get-data` → `data`, same token as the
 * scheduler's.
 */
export class DataServer {
  private readonly connections = new Set<Connection<PeerToDataServer, DataServerToPeer>>();

  private constructor(
    private readonly http: Server,
    private readonly sockets: SocketGate,
    readonly address: string,
  ) {}

  /** Listens on a free port of `host`; over TLS (wss://) when `tls` has a certificate. */
  static async start(
    host: string,
    token: string,
    store: DataStore,
    tls: TlsMaterial | null = null,
  ): Promise<DataServer> {
    const http = createServer(tls, (_request, response) => response.writeHead(426).end('WebSocket only'));
    // Peers only ask for keys: their frames are small even after the hello.
    const sockets = new SocketGate({ token, roles: ['peer', 'client'], maxPayload: GET_DATA_MAX_PAYLOAD });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, host, () => resolve());
    });
    const { port } = http.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host;
    const server = new DataServer(http, sockets, `${schemes(tls).socket}://${shown}:${port}`);
    http.on('upgrade', (request, socket, head) => {
      sockets.handleUpgrade(request, socket, head, (untyped) => {
        const connection = untyped.as<PeerToDataServer, DataServerToPeer>();
        server.connections.add(connection);
        connection.on('close', () => server.connections.delete(connection));
        connection.start((op) => {
          if (op[0] !== 'get-data') {
            connection.close(CloseCode.unknownOperation, `unknown operation '${op[0]}'`);
            return;
          }
          if (!Array.isArray(op[2]) || op[2].some((k) => typeof k !== 'string')) {
            connection.close(CloseCode.malformed, 'get-data takes a list of keys');
            return;
          }
          connection.send(['data', op[1], store.entries(op[2] as string[])]);
        });
        connection.send(['welcome', {}]);
      });
    });
    return server;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.close(CloseCode.normal, 'worker closing');
    this.sockets.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
