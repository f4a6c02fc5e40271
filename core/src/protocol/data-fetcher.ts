import { PROTOCOL_VERSION } from './close-codes.js';
import type { Connection } from './connection.js';
import type { DataServerToPeer, PeerToDataServer } from './operations.js';
import { openConnection } from './handshake.js';
import type { Role } from './messages.js';

type Entries = Array<[string, Uint8Array | null]>;

interface PeerLink {
  connection: Promise<Connection<DataServerToPeer, PeerToDataServer>>;
  pending: Map<number, { resolve: (entries: Entries) => void; reject: (error: Error) => void }>;
  /** Keys asked for during this turn, sent together. */
  batch: {
    keys: string[];
    waiters: Array<{ keys: string[]; resolve: (e: Entries) => void; reject: (e: Error) => void }>;
  } | null;
}

/**
 * Fetches results from workers' data servers: one connection per worker, requests made in the same
 * event-loop turn sent as one `get-data` operation. Used by workers (dependencies) and clients.
 */
export class DataFetcher {
  private readonly links = new Map<string, PeerLink>();
  private nextRequest = 1;

  constructor(
    private readonly token: string,
    private readonly role: Role,
    /** The authority workers' certificates are checked against (wss:// data servers). */
    private readonly ca: Buffer | null = null,
  ) {}

  /** `[key, bytes | null]` per key; null when the worker does not hold it. Rejects if unreachable. */
  get(address: string, keys: string[]): Promise<Entries> {
    const link = this.link(address);
    return new Promise((resolve, reject) => {
      if (!link.batch) {
        link.batch = { keys: [], waiters: [] };
        setImmediate(() => this.flush(address, link));
      }
      link.batch.keys.push(...keys);
      link.batch.waiters.push({ keys, resolve, reject });
    });
  }

  /** Drops the connection to a worker that left. */
  forget(address: string): void {
    const link = this.links.get(address);
    if (!link) return;
    this.links.delete(address);
    link.connection.then((c) => c.close()).catch(() => {});
  }

  close(): void {
    for (const address of [...this.links.keys()]) this.forget(address);
  }

  private flush(address: string, link: PeerLink): void {
    const batch = link.batch!;
    link.batch = null;
    const id = this.nextRequest++;
    const split = (entries: Entries): void => {
      const byKey = new Map(entries);
      for (const waiter of batch.waiters) waiter.resolve(waiter.keys.map((k) => [k, byKey.get(k) ?? null]));
    };
    const fail = (error: Error): void => {
      for (const waiter of batch.waiters) waiter.reject(error);
    };
    link.pending.set(id, { resolve: split, reject: fail });
    link.connection
      .then((c) => c.send(['get-data', id, batch.keys]))
      .catch((error: Error) => {
        link.pending.delete(id);
        fail(error);
      });
  }

  private link(address: string): PeerLink {
    let link = this.links.get(address);
    if (link) return link;
    const pending: PeerLink['pending'] = new Map();
    const connection = openConnection(
      address,
      { role: this.role, protocol: PROTOCOL_VERSION, token: this.token },
      { ca: this.ca },
    ).then(({ connection: untyped }) => {
      const connection = untyped.as<DataServerToPeer, PeerToDataServer>();
      connection.start((op) => {
        if (op[0] !== 'data') return;
        const waiter = pending.get(op[1] as number);
        pending.delete(op[1] as number);
        waiter?.resolve(op[2] as Entries);
      });
      connection.on('close', (_code: number, reason: string) => {
        if (this.links.get(address) === link) this.links.delete(address);
        for (const waiter of pending.values())
          waiter.reject(new Error(`connection to ${address} closed: ${reason}`));
        pending.clear();
      });
      return connection;
    });
    connection.catch(() => {
      if (this.links.get(address) === link) this.links.delete(address);
    });
    link = { connection, pending, batch: null };
    this.links.set(address, link);
    return link;
  }
}
