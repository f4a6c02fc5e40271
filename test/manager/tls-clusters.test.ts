import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClusterModel } from '@drover/core';
import { makeCertificates, type TestCertificates } from '../helpers/certificates.js';
import { errorOf, startApi, type TestApi } from '../helpers/api.js';
import { childPids } from '../helpers/processes.js';

let api: TestApi;
let certs: TestCertificates;
beforeAll(async () => {
  certs = makeCertificates();
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  certs.remove();
  expect(childPids(), 'worker processes left').toEqual([]);
});

describe('clusters with TLS from the manager', () => {
  it('a spec with certificate files starts a wss:// cluster whose client code trusts the authority', async () => {
    const tls = { cert: certs.cert, key: certs.key, ca: certs.ca };
    const created = await api.call('POST', '/api/clusters', {
      body: { kind: 'local', name: 'secure', scale: 1, tls },
    });
    expect(created.status).toBe(201);
    const model = created.body as ClusterModel;
    expect(model.schedulerAddress).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(model.clientCode).toContain(`{ tlsCa: ${JSON.stringify(certs.ca)} }`);
    // The client code, as a user pastes it into a notebook.
    const [, address] = /Client\.connect\("([^"]+)"/.exec(model.clientCode)!;
    const client = await Client.connect(address!, { tlsCa: certs.ca });
    expect(await client.gather(client.map((x: number) => x + 1, [1, 2]))).toEqual([2, 3]);
    await client.close();
    expect((await api.call('DELETE', '/api/clusters/secure')).status).toBe(204);
  });

  it('previews carry the TLS files; bad files are a 400 naming the field; the JSON Schema has tls', async () => {
    const slurm = { kind: 'slurm', options: { cores: 4, memory: '8GB' } };
    const preview = (
      await api.call('POST', '/api/render', {
        body: { ...slurm, tls: { cert: certs.cert, key: certs.key, ca: certs.ca } },
      })
    ).body as { script: string };
    expect(preview.script).toContain(`--tls-cert ${certs.cert} --tls-key ${certs.key} --tls-ca ${certs.ca}`);
    const local = (
      await api.call('POST', '/api/render', {
        body: { kind: 'local', tls: { cert: certs.selfSigned.cert, key: certs.selfSigned.key } },
      })
    ).body as { script: string };
    expect(local.script).toContain('scheduler: { tls: {');

    const missingKey = await api.call('POST', '/api/clusters', {
      body: { kind: 'local', tls: { cert: certs.cert } },
    });
    expect(missingKey.status).toBe(400);
    expect(errorOf(missingKey)).toMatchObject({ field: 'tls.key' });
    const noFile = await api.call('POST', '/api/render', {
      body: { ...slurm, tls: { cert: '/nowhere/cert.pem', key: certs.key } },
    });
    expect(errorOf(noFile)).toMatchObject({ field: 'tls.cert' });
    expect(errorOf(noFile).message).toMatch(/cannot read '\/nowhere\/cert\.pem'/);
    expect((await api.call('GET', '/api/clusters')).body).toEqual([]);

    const schema = (await api.call('GET', '/api/spec/schema')).body as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(Object.keys(schema.properties.tls!.properties!)).toEqual(['cert', 'key', 'ca']);
  });
});
