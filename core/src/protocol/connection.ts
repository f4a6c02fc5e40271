import { EventEmitter } from 'node:events';
import type WebSocket from 'ws';
import { codec } from './codec.js';
import { CloseCode } from './close-codes.js';
import type { Operation } from './messages.js';

/** Largest number of operations packed into one WebSocket message. */
const OPERATIONS_PER_MESSAGE = 4096;

/**
 * Bounds on what one side keeps queued for a peer that does not read: past `maxBufferedBytes`
 * unsent bytes on this connection, or past `maxTotalBufferedBytes` over every connection
 * `totalBuffered` counts, the connection is closed (code 4007) rather than let memory grow.
 */
export interface SendLimits {
  maxBufferedBytes: number;
  maxTotalBufferedBytes?: number;
  totalBuffered?: () => number;
}

/** Unsent bytes below which the total over all connections is not worth adding up. */
const CHECK_TOTAL_ABOVE = 16 << 20;

/**
 * One WebSocket with Drover's batching: operations queued during an event-loop turn leave together
 * in one binary msgpack message.
 *
 * #### Notes
 * Batching per turn instead of on a timer keeps a lone operation's latency at a few microseconds
 * while a busy turn still packs thousands of operations into one frame. A message that is not an
 * array of arrays closes this connection (code 4000) and nothing else.
 *
 * Typed by what it receives (`In`) and sends (`Out`), the operation unions of `operations.ts`; a
 * connection whose peer's role is not known yet (before the hello) is `Connection<Operation>`, and
 * {@link Connection.as} types it once the role is known.
 *
 * Emits `close` (code, reason) once.
 */
export class Connection<
  In extends Operation = Operation,
  Out extends Operation = Operation,
> extends EventEmitter {
  private handler: ((op: In) => void) | null = null;
  private held: In[] = [];
  private outgoing: Out[] = [];
  private flushScheduled = false;
  private closed = false;
  private alive = true;
  private keepalive: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: WebSocket,
    private readonly limits: SendLimits | null = null,
  ) {
    super();
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    socket.on('close', (code, reason) => this.finish(code, reason.toString()));
    socket.on('error', () => {
      /* 'close' follows every error; the reason is reported there. */
    });
    socket.on('pong', () => (this.alive = true));
  }

  /**
   * Routes received operations to `handler`, after replaying those that arrived before.
   * Until the first call, operations are held, so none is lost between handshake and set-up.
   */
  start(handler: (op: In) => void): void {
    this.handler = handler;
    while (this.held.length > 0 && this.handler === handler && !this.closed) {
      this.dispatch(this.held.shift()!);
    }
  }

  /** Holds received operations until the next {@link start}. */
  pause(): void {
    this.handler = null;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * This connection, typed for a peer of a known role: what it receives and what it sends. The
   * same object; nothing is checked or converted.
   */
  as<I extends Operation, O extends Operation>(): Connection<I, O> {
    return this as unknown as Connection<I, O>;
  }

  /** Queues an operation; it leaves at the end of this event-loop turn. */
  send(op: Out): void {
    if (this.closed) return;
    this.outgoing.push(op);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends everything queued now. */
  flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.outgoing.length === 0) return;
    const ops = this.outgoing;
    this.outgoing = [];
    for (let i = 0; i < ops.length; i += OPERATIONS_PER_MESSAGE) {
      const slice =
        i === 0 && ops.length <= OPERATIONS_PER_MESSAGE ? ops : ops.slice(i, i + OPERATIONS_PER_MESSAGE);
      this.socket.send(codec.pack(slice));
    }
    if (this.limits) this.checkBuffered(this.limits);
  }

  private checkBuffered(limits: SendLimits): void {
    const mine = this.socket.bufferedAmount;
    if (mine > limits.maxBufferedBytes) {
      this.socket.terminate();
      this.finish(CloseCode.overloaded, `peer left more than ${limits.maxBufferedBytes} bytes unread`);
      return;
    }
    if (mine < CHECK_TOTAL_ABOVE || !limits.totalBuffered || !limits.maxTotalBufferedBytes) return;
    if (limits.totalBuffered() > limits.maxTotalBufferedBytes) {
      this.socket.terminate();
      this.finish(
        CloseCode.overloaded,
        `more than ${limits.maxTotalBufferedBytes} bytes unread over all peers`,
      );
    }
  }

  /**
   * Pings every `intervalMs`; a peer that has not answered the previous ping is dropped.
   * Catches half-open TCP connections that never deliver a close.
   */
  startKeepalive(intervalMs: number): void {
    this.keepalive = setInterval(() => {
      if (!this.alive) {
        this.socket.terminate();
        return;
      }
      this.alive = false;
      this.socket.ping();
    }, intervalMs);
    this.keepalive.unref();
  }

  /** Flushes what is queued and closes with a code and a reason the peer can read. */
  close(code: number = CloseCode.normal, reason = ''): void {
    if (this.closed) return;
    this.flush();
    // Close reasons are limited to 123 bytes by RFC 6455.
    this.socket.close(code, truncateUtf8(reason, 123));
    this.finish(code, reason);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    let ops: unknown;
    try {
      if (!isBinary) throw new Error('text frames are not part of the protocol');
      ops = codec.unpack(data);
    } catch (error) {
      this.close(CloseCode.malformed, `malformed message: ${(error as Error).message}`);
      return;
    }
    if (!Array.isArray(ops)) {
      this.close(CloseCode.malformed, 'malformed message: expected an array of operations');
      return;
    }
    for (const op of ops) {
      if (this.closed) return;
      if (!Array.isArray(op) || typeof op[0] !== 'string') {
        this.close(CloseCode.malformed, 'malformed operation: expected [name, ...arguments]');
        return;
      }
      // The peer's promise, not a checked fact: handlers check what matters (see operations.ts).
      if (this.handler) this.dispatch(op as unknown as In);
      else this.held.push(op as unknown as In);
    }
  }

  private dispatch(op: In): void {
    try {
      this.handler!(op);
    } catch (error) {
      this.close(CloseCode.malformed, `bad operation '${op[0]}': ${(error as Error).message}`);
    }
  }

  private finish(code: number, reason: string): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = null;
    if (this.closed) return;
    this.closed = true;
    this.outgoing = [];
    this.held = [];
    this.emit('close', code, reason);
  }
}

/** At most `bytes` bytes of `text` in UTF-8, cut between characters (never inside one). */
export function truncateUtf8(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let end = Math.min(text.length, bytes);
  while (end > 0 && Buffer.byteLength(text.slice(0, end)) > bytes) end--;
  // Do not split a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}
