import { readFileSync } from 'node:fs';
import { hasControlCharacter } from '../validation/bounds.js';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/**
 * TLS certificate files, PEM, as paths (on HPC the file system is shared, so every worker of a job
 * can read them).
 */
export interface TlsFiles {
  /** This process's certificate, for what it serves (the scheduler, a worker's data server). */
  cert?: string;
  /** The private key of `cert`. */
  key?: string;
  /**
   * The certificate authority the other side's certificate is checked against; for a
   * self-signed certificate, that certificate. Default: the system's trusted authorities.
   */
  ca?: string;
}

/** Certificate files read into memory, and where the CA came from (for scheduler files). */
export interface TlsMaterial {
  cert: Buffer | null;
  key: Buffer | null;
  ca: Buffer | null;
  /** The file peers should trust: `ca`, or `cert` when it signs itself. */
  caPath: string | null;
  /** The paths the material was read from (workers started elsewhere read the same files). */
  files: TlsFiles;
}

/** Bad TLS settings; `field` names the option (`tls.cert`, `--tls-key`, …). */
export class TlsConfigError extends Error {
  override name = 'TlsConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/**
 * Reads the files of `files`. A server needs `cert` and `key` together; a client only `ca` (or
 * nothing, to trust the system's authorities). `prefix` names the options in errors.
 */
export function loadTls(files: TlsFiles, prefix = 'tls.'): TlsMaterial {
  const read = (name: 'cert' | 'key' | 'ca'): Buffer | null => {
    const path = files[name];
    if (!path) return null;
    let pem: Buffer;
    try {
      pem = readFileSync(path);
    } catch (error) {
      throw new TlsConfigError(`${prefix}${name}`, `cannot read '${path}': ${(error as Error).message}`);
    }
    if (!pem.includes('-----BEGIN ')) {
      throw new TlsConfigError(`${prefix}${name}`, `'${path}' is not a PEM file (no -----BEGIN line)`);
    }
    return pem;
  };
  // What was given is checked before what is missing, so a wrong path is named first.
  const material: TlsMaterial = {
    cert: read('cert'),
    key: read('key'),
    ca: read('ca'),
    caPath: files.ca ?? files.cert ?? null,
    files,
  };
  if (Boolean(files.cert) !== Boolean(files.key)) {
    const missing = files.cert ? 'key' : 'cert';
    throw new TlsConfigError(
      `${prefix}${missing}`,
      `a certificate and its private key go together; give both ${prefix}cert and ${prefix}key`,
    );
  }
  return material;
}

/**
 * `{ cert, key, ca }` paths from configuration (a cluster spec, a profile): checked for shape only,
 * empty entries dropped; null when absent or empty. Errors name `field` (e.g. `tls.cert`).
 */
export function parseTlsFiles(raw: unknown, field = 'tls'): TlsFiles | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new TlsConfigError(field, 'must be {"cert": path, "key": path, "ca": path} or null');
  const files: TlsFiles = {};
  for (const [key, path] of Object.entries(raw)) {
    if (!['cert', 'key', 'ca'].includes(key))
      throw new TlsConfigError(`${field}.${key}`, 'is not a TLS field; use cert, key, ca');
    if (path === undefined || path === null || path === '') continue;
    if (typeof path !== 'string')
      throw new TlsConfigError(`${field}.${key}`, `${JSON.stringify(path)} is not a file path`);
    if (path.length > 4096 || hasControlCharacter(path))
      throw new TlsConfigError(`${field}.${key}`, 'must be a file path of at most 4096 printable characters');
    files[key as keyof TlsFiles] = path;
  }
  return Object.keys(files).length > 0 ? files : null;
}

/** An HTTP server, or HTTPS when `tls` has a certificate. */
export function createServer(tls: TlsMaterial | null, handler: RequestListener): Server {
  if (!tls?.cert) return createHttpServer(handler);
  return createHttpsServer({ cert: tls.cert, key: tls.key!, ...(tls.ca ? { ca: tls.ca } : {}) }, handler);
}

/** `wss`/`https` when serving with a certificate, else `ws`/`http`. */
export function schemes(tls: TlsMaterial | null): { socket: 'ws' | 'wss'; http: 'http' | 'https' } {
  return tls?.cert ? { socket: 'wss', http: 'https' } : { socket: 'ws', http: 'http' };
}

/**
 * Client options that trust only certificates signed by `ca`, whatever host name they carry.
 *
 * #### Notes
 * Workers of a batch job land on nodes nobody can name in advance, so one cluster certificate cannot
 * list them all. The authority is the cluster's own: only what it signed is accepted, which is the
 * check that matters. (Dask's TLS does the same.) Without a CA of its own, a client checks host
 * names against the system's authorities as usual.
 */
export function privateAuthority(ca: Buffer): { ca: Buffer; checkServerIdentity: () => undefined } {
  return { ca, checkServerIdentity: () => undefined };
}

/** Whether an error from opening a wss:// connection means the certificate was not trusted. */
export function isCertificateError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) || /certificate/i.test(error.message);
}
