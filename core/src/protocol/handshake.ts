import { createHash, timingSafeEqual } from 'node:crypto';
import WebSocket from 'ws';
import { codec } from './codec.js';
import { isCertificateError, privateAuthority } from './tls.js';
import { CloseCode, PROTOCOL_VERSION } from './close-codes.js';
import { Connection, type SendLimits } from './connection.js';
import type { Hello, Role } from './messages.js';

const UNAUTHORIZED_REASON =
  'invalid token: use the token from the scheduler file or the address printed at start';

/** Largest message accepted before a connection has said a valid hello. */
const MAX_HELLO_BYTES = 64 * 1024;

export interface AcceptOptions {
  token: string;
  roles: readonly Role[];
  helloTimeoutMs?: number;
  /** Sending limits of the accepted connection (see {@link SendLimits}). */
  sendLimits?: SendLimits;
}

/**
 * Takes a freshly upgraded socket through the hello: the first operation must be a hello with the
 * right token, protocol version and an allowed role. Anything else closes the socket with a code and
 * a reason that say what was wrong; `onAccepted` runs only for a valid hello.
 */
export function acceptConnection(
  socket: WebSocket,
  options: AcceptOptions,
  onAccepted: (connection: Connection, hello: Hello) => void,
): void {
  const guard = (data: Buffer): void => {
    if (data.length > MAX_HELLO_BYTES) {
      connection.close(CloseCode.tooLarge, `first message larger than ${MAX_HELLO_BYTES} bytes`);
    }
  };
  socket.on('message', guard);
  const connection = new Connection(socket, options.sendLimits);
  const timer = setTimeout(
    () => connection.close(CloseCode.timeout, 'no hello received in time'),
    options.helloTimeoutMs ?? 10_000,
  );
  timer.unref();
  connection.on('close', () => clearTimeout(timer));
  connection.start((op) => {
    clearTimeout(timer);
    socket.off('message', guard);
    const refusal = checkHello(op, options);
    if (typeof refusal === 'object' && 'code' in refusal) {
      connection.close(refusal.code, refusal.reason);
      return;
    }
    connection.pause();
    onAccepted(connection, refusal);
  });
}

function checkHello(
  op: readonly unknown[],
  options: AcceptOptions,
): Hello | { code: number; reason: string } {
  const hello = op[1] as Partial<Hello> | undefined;
  if (op[0] !== 'hello' || typeof hello !== 'object' || hello === null) {
    return { code: CloseCode.malformed, reason: 'the first operation must be a hello' };
  }
  if (typeof hello.token !== 'string' || !tokensEqual(hello.token, options.token)) {
    return {
      code: CloseCode.unauthorized,
      reason: UNAUTHORIZED_REASON,
    };
  }
  if (hello.protocol !== PROTOCOL_VERSION) {
    return {
      code: CloseCode.versionMismatch,
      reason: `protocol version ${String(hello.protocol)} is not ${PROTOCOL_VERSION}: use the same Drover version everywhere`,
    };
  }
  if (typeof hello.role !== 'string' || !options.roles.includes(hello.role)) {
    return { code: CloseCode.unauthorized, reason: `role '${String(hello.role)}' is not accepted here` };
  }
  return hello as Hello;
}

/** Compares tokens in constant time (hashing first makes the lengths equal). */
export function tokensEqual(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export interface OpenOptions {
  timeoutMs?: number;
  maxPayload?: number;
  /** For wss:// addresses: the authority to check the server's certificate against. */
  ca?: Buffer | null;
}

/** Error raised when a connection cannot be opened or is refused, with the peer's reason. */
export class ConnectionRefusedError extends Error {
  override name = 'ConnectionRefusedError';
  constructor(
    message: string,
    readonly code: number | null,
  ) {
    super(message);
  }
}

/**
 * Opens a connection to `url`, says `hello` and waits for the `welcome` operation.
 * Operations after the welcome are held until the caller starts the connection.
 */
export function openConnection(
  url: string,
  hello: Hello,
  options: OpenOptions = {},
): Promise<{ connection: Connection; welcome: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      // The token at the upgrade lets the server check it before any frame and accept large ones.
      headers: { authorization: `Bearer ${hello.token}` },
      perMessageDeflate: false,
      // ws passes these to tls.connect; its types describe checkServerIdentity differently.
      ...((options.ca ? privateAuthority(options.ca) : {}) as WebSocket.ClientOptions),
    });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(
        new ConnectionRefusedError(`no answer from ${url} within ${options.timeoutMs ?? 10_000} ms`, null),
      );
    }, options.timeoutMs ?? 10_000);
    socket.once('error', (error) => {
      clearTimeout(timer);
      const hint = isCertificateError(error)
        ? options.ca
          ? '; the certificate authority given does not vouch for this server'
          : "; give the certificate authority that signed the server's certificate (tlsCa, --tls-ca)"
        : '';
      reject(new ConnectionRefusedError(`cannot reach ${url}: ${error.message}${hint}`, null));
    });
    // The server refused the upgrade itself (a wrong token, or too many sockets waiting).
    socket.once('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      socket.terminate();
      const unauthorized = response.statusCode === 401;
      const reason = unauthorized
        ? UNAUTHORIZED_REASON
        : `HTTP ${response.statusCode} at the WebSocket upgrade; try again later`;
      const code = unauthorized ? CloseCode.unauthorized : null;
      reject(
        new ConnectionRefusedError(
          `${url} refused the connection: ${reason}${code ? ` (code ${code})` : ''}`,
          code,
        ),
      );
    });
    socket.once('open', () => {
      const connection = new Connection(socket);
      connection.on('close', (code: number, reason: string) => {
        clearTimeout(timer);
        reject(
          new ConnectionRefusedError(
            `${url} refused the connection: ${reason || 'closed'} (code ${code})`,
            code,
          ),
        );
      });
      connection.start((op) => {
        if (op[0] !== 'welcome') {
          connection.close(CloseCode.malformed, 'expected a welcome');
          return;
        }
        clearTimeout(timer);
        connection.removeAllListeners('close');
        connection.pause();
        resolve({ connection, welcome: (op[1] ?? {}) as Record<string, unknown> });
      });
      socket.send(codec.pack([['hello', hello]]));
    });
  });
}

/** Default bound on one WebSocket message: large results fit, a runaway frame does not. */
export const DEFAULT_MAX_PAYLOAD = 512 * 1024 * 1024;
