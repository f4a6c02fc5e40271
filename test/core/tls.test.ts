import { get } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LocalCluster, readSchedulerFile, Scheduler } from '@drover/core';
import { makeCertificates, type TestCertificates } from '../helpers/certificates.js';
import { onCleanup, startCluster } from '../helpers/cluster.js';
import { startDrover } from '../helpers/processes.js';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => certs.remove());

const sumTree = async (client: Client, leaves: number): Promise<number> => {
  let level = client.map(
    (x: number) => x,
    Array.from({ length: leaves }, (_, i) => i),
  );
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      next.push(client.submit((a: number, b: number) => a + b, level[i]!, level[i + 1]!));
    }
    if (level.length % 2 === 1) next.push(level.at(-1)!);
    level = next;
  }
  return level[0]!;
};

function httpsGet(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { ca: readFileSync(ca) }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('TLS', () => {
  it('a local cluster serves wss:// and https://; tasks, transfers between workers and results cross TLS', async () => {
    const { cluster, client } = await startCluster({
      workers: 2,
      scheduler: { tls: { cert: certs.cert, key: certs.key, ca: certs.ca } },
    });
    expect(cluster.schedulerAddress).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster.scheduler.httpUrl).toMatch(/^https:\/\//);
    expect(cluster.tlsCa).toBe(certs.ca);
    const dataAddresses = [...cluster.scheduler.workers.values()].map((w) => w.identity.dataAddress);
    expect(dataAddresses).toEqual([expect.stringMatching(/^wss:\/\//), expect.stringMatching(/^wss:\/\//)]);
    // A reduction over both workers moves inputs worker to worker; the client fetches from workers.
    expect(await sumTree(client, 200)).toBe((199 * 200) / 2);
    const placed = new Set((await client.getTaskStream()).events.map((e) => e.worker));
    expect(placed.size).toBe(2);
    expect(await httpsGet(`${cluster.scheduler.httpUrl}/health`, certs.ca)).toBe('ok');
  });

  it('a client refuses a scheduler whose certificate it cannot check, and says what to give', async () => {
    const { cluster } = await startCluster({
      workers: 1,
      scheduler: { tls: { cert: certs.cert, key: certs.key, ca: certs.ca } },
    });
    const target = { address: cluster.schedulerAddress, token: cluster.token };
    await expect(Client.connect(target)).rejects.toThrow(
      /cannot reach wss:.*certificate.*give the certificate authority.*tlsCa/,
    );
    await expect(Client.connect(target, { tlsCa: certs.otherCa })).rejects.toThrow(
      /does not vouch for this server/,
    );
    await expect(
      Client.connect({ address: cluster.schedulerAddress.replace('wss:', 'ws:'), token: cluster.token }),
    ).rejects.toThrow(/cannot reach ws:|refused/);
    const trusted = await Client.connect(target, { tlsCa: certs.ca });
    onCleanup(() => trusted.close());
    expect(await trusted.submit((x: number) => x * 3, 5)).toBe(15);
  });

  it('a self-signed certificate is its own authority', async () => {
    const { cluster, client } = await startCluster({
      workers: 1,
      scheduler: { tls: { cert: certs.selfSigned.cert, key: certs.selfSigned.key } },
    });
    expect(cluster.tlsCa).toBe(certs.selfSigned.cert);
    expect(await client.gather(client.map((x: number) => x + 1, [1, 2]))).toEqual([2, 3]);
  });

  it('drover scheduler and drover worker with --tls-*: the scheduler file tells clients and workers which CA to trust', async () => {
    const file = join(certs.directory, 'scheduler.json');
    const serveWith = ['--tls-cert', certs.cert, '--tls-key', certs.key];
    const scheduler = startDrover([
      'scheduler',
      '--scheduler-file',
      file,
      ...serveWith,
      '--tls-ca',
      certs.ca,
    ]);
    onCleanup(() => scheduler.stop());
    await scheduler.line(/Scheduler at (wss:\/\/\S+)/);
    const contents = await readSchedulerFile(file);
    expect(contents.tlsCa).toBe(certs.ca);
    expect(contents.dashboard).toMatch(/^https:\/\//);
    // The worker learns the authority from the scheduler file.
    const worker = startDrover(['worker', '--scheduler-file', file, ...serveWith, '--name', 'w-tls']);
    onCleanup(() => worker.stop());
    const client = await Client.connect({ schedulerFile: file });
    onCleanup(() => client.close());
    expect(await client.gather(client.map((x: number) => x * x, [1, 2, 3]))).toEqual([1, 4, 9]);
    expect((await client.status()).workers.map((w) => w.name)).toEqual(['w-tls']);
  });

  it('bad TLS settings fail at once, naming the option and the fix', async () => {
    await expect(Scheduler.start({ tls: { cert: certs.cert } })).rejects.toThrow(
      /tls\.key: a certificate and its private key go together/,
    );
    await expect(Scheduler.start({ tls: { cert: '/no/such.pem', key: certs.key } })).rejects.toThrow(
      /tls\.cert: cannot read '\/no\/such\.pem'/,
    );
    const notPem = join(certs.directory, 'not.pem');
    writeFileSync(notPem, 'hello');
    await expect(Scheduler.start({ tls: { cert: notPem, key: certs.key } })).rejects.toThrow(
      /tls\.cert: '.*not\.pem' is not a PEM file/,
    );
    await expect(Scheduler.start({ tls: { ca: certs.ca } })).rejects.toThrow(
      /tls\.cert: a scheduler serving TLS needs its certificate and key/,
    );
    await expect(
      LocalCluster.start({ workers: 1, scheduler: { tls: { cert: certs.cert, key: '/missing.key' } } }),
    ).rejects.toThrow(/tls\.key: cannot read/);

    const half = startDrover(['scheduler', '--tls-cert', certs.cert]);
    onCleanup(() => half.stop());
    expect(await half.exitCode()).toBe(2);
    expect(half.output()).toMatch(/--tls-key: a certificate and its private key go together/);

    const { cluster } = await startCluster({
      workers: 0,
      scheduler: { tls: { cert: certs.cert, key: certs.key, ca: certs.ca } },
    });
    const tokenFile = join(certs.directory, 'token');
    writeFileSync(tokenFile, cluster.token, { mode: 0o600 });
    const plainWorker = startDrover(['worker', cluster.schedulerAddress, '--token-file', tokenFile]);
    onCleanup(() => plainWorker.stop());
    expect(await plainWorker.exitCode()).toBe(2);
    expect(plainWorker.output()).toMatch(
      /--tls-cert: the scheduler wss:\S+ uses TLS, so this worker serves its results over TLS too/,
    );
  });
});
