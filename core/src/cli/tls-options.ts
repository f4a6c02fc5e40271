import { loadTls, TlsConfigError, type TlsFiles } from '../protocol/tls.js';
import { UsageError } from './args.js';

/** `--tls-cert`, `--tls-key` and `--tls-ca` as {@link TlsFiles}, or undefined when none is given. */
export function tlsFiles(
  values: { 'tls-cert'?: string; 'tls-key'?: string; 'tls-ca'?: string },
  defaultCa?: string,
): TlsFiles | undefined {
  const ca = values['tls-ca'] ?? defaultCa;
  if (!values['tls-cert'] && !values['tls-key'] && !ca) return undefined;
  return {
    ...(values['tls-cert'] ? { cert: values['tls-cert'] } : {}),
    ...(values['tls-key'] ? { key: values['tls-key'] } : {}),
    ...(ca ? { ca } : {}),
  };
}

/** The TLS files of a command that serves (scheduler, local), read once to fail early on bad ones. */
export function serverTlsFiles(values: {
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-ca'?: string;
}): TlsFiles | undefined {
  const files = tlsFiles(values);
  if (!files) return undefined;
  if (!asUsageError(() => loadTls(files, '--tls-')).cert) {
    throw new UsageError('--tls-cert: serving TLS needs a certificate and its key (--tls-key)');
  }
  return files;
}

/** Runs `check`; a bad TLS option becomes a usage error (exit code 2, with the help). */
export function asUsageError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof TlsConfigError) throw new UsageError(error.message);
    throw error;
  }
}
