import { execFile } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TlsFiles } from '../protocol/tls.js';

const run = promisify(execFile);

/**
 * A certificate authority made for one cluster, and the one certificate it signs for that cluster's
 * scheduler, workers and clients. Dask's TLS asks every side for a certificate from the authority,
 * so nobody else on a shared login node can connect to, or submit work to, the cluster. The keys are
 * private to the user (0600) and live in the cluster's directory, removed with it.
 */
export async function makeClusterAuthority(directory: string, name: string): Promise<Required<TlsFiles>> {
  const files = {
    ca: join(directory, 'cluster-ca.pem'),
    cert: join(directory, 'cluster.pem'),
    key: join(directory, 'cluster.key'),
  };
  const caKey = join(directory, 'cluster-ca.key');
  const request = join(directory, 'cluster.csr');
  const subject = (role: string): string => `/CN=drover ${role} ${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    caKey,
    '-out',
    files.ca,
    '-days',
    '400',
    '-subj',
    subject('authority'),
  ]);
  await run('openssl', ['req', ...ec, '-keyout', files.key, '-out', request, '-subj', subject('cluster')]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    request,
    '-CA',
    files.ca,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    files.cert,
    '-days',
    '400',
  ]);
  await Promise.all([chmod(caKey, 0o600), chmod(files.key, 0o600)]);
  return files;
}
