import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway certificate authority and a certificate it signed for 127.0.0.1, made by openssl. */
export interface TestCertificates {
  directory: string;
  ca: string;
  cert: string;
  key: string;
  /** A second, unrelated authority: its holder must not trust the first one's certificates. */
  otherCa: string;
  /** A certificate that signs itself (no separate authority). */
  selfSigned: { cert: string; key: string };
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes the certificates in a new temporary directory; call `remove()` when done. */
export function makeCertificates(): TestCertificates {
  const directory = mkdtempSync(join(tmpdir(), 'drover-tls-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const authority = (name: string): void =>
    openssl(
      [
        'req',
        '-x509',
        ...ec,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.pem`,
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
      ],
      directory,
    );
  authority('ca');
  authority('other-ca');
  writeFileSync(join(directory, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['req', ...ec, '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=127.0.0.1'], directory);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'node.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'node.pem',
      '-days',
      '1',
      '-extfile',
      'san.ext',
    ],
    directory,
  );
  openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'self.key',
      '-out',
      'self.pem',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    directory,
  );
  const at = (name: string): string => join(directory, name);
  return {
    directory,
    ca: at('ca.pem'),
    cert: at('node.pem'),
    key: at('node.key'),
    otherCa: at('other-ca.pem'),
    selfSigned: { cert: at('self.pem'), key: at('self.key') },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
