import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ClusterModel, ServerEvent, SpecDescription } from '@drover/core';
import { addressOf, errorOf, runTasks, startApi, type TestApi } from '../helpers/api.js';
import { childPids, waitFor } from '../helpers/processes.js';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  expect(childPids(), 'worker processes left').toEqual([]);
});

const SLURM = { kind: 'slurm', options: { cores: 8, memory: '16GB', walltime: '01:00:00', queue: 'short' } };

describe('API routes', () => {
  it('GET /api/spec describes every kind, field and the JSON Schema', async () => {
    const answer = await api.call('GET', '/api/spec');
    const spec = answer.body as SpecDescription;
    expect(spec.kinds.map((k) => [k.kind, k.available])).toEqual([
      ['local', true],
      ['slurm', true],
      ['pbs', true],
      ['lsf', true],
      ['sge', true],
    ]);
    expect(spec.fields.find((f) => f.path === 'options.walltime')).toMatchObject({ default: '00:30:00' });
    expect((await api.call('GET', '/api/spec/schema')).body).toEqual(spec.jsonSchema);
  });

  it('POST /api/render previews a job script and follows every change of the spec', async () => {
    const first = (await api.call('POST', '/api/render', { body: SLURM })).body as {
      script: string;
      language: string;
    };
    expect(first.language).toBe('bash');
    expect(first.script).toContain('#SBATCH -t 01:00:00');
    expect(first.script).toContain('#SBATCH -p short');
    const changed = (
      await api.call('POST', '/api/render', {
        body: { ...SLURM, options: { ...SLURM.options, queue: 'long' } },
      })
    ).body as { script: string };
    expect(changed.script).toContain('#SBATCH -p long');
    const local = (await api.call('POST', '/api/render', { body: { kind: 'local', scale: 3 } })).body as {
      script: string;
    };
    expect(local.script).toContain('LocalCluster.start({ workers: 3 })');
  });

  it('an invalid spec is a 400 naming the field, on render, dry run, export, create and profiles', async () => {
    const bad = { kind: 'slurm', options: { cores: 8, memory: '16GB', walltime: 'tomorrow' } };
    for (const [method, path] of [
      ['POST', '/api/render'],
      ['POST', '/api/dry-run'],
      ['POST', '/api/export'],
      ['POST', '/api/clusters'],
      ['PUT', '/api/profiles/bad'],
    ] as const) {
      const answer = await api.call(method, path, { body: bad });
      expect(answer.status, path).toBe(400);
      expect(errorOf(answer)).toMatchObject({ code: 'invalid-spec', field: 'options.walltime' });
      expect(errorOf(answer).message).toMatch(/HH:MM:SS/);
    }
    const notJson = await api.call('POST', '/api/render', { body: '{"kind":' });
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson).code).toBe('invalid-json');
    expect((await api.call('GET', '/api/nothing')).status).toBe(404);
    expect(errorOf(await api.call('PUT', '/api/clusters')).code).toBe('method-not-allowed');
  });

  it("POST /api/export downloads the script; POST /api/dry-run answers in the batch system's words", async () => {
    const exported = await api.call('POST', '/api/export', { body: SLURM });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe(
      'attachment; filename="drover-slurm-drover-worker.sh"',
    );
    expect(String(exported.body)).toMatch(/^#!\/usr\/bin\/env bash/);
    const pbs = await api.call('POST', '/api/dry-run', {
      body: { kind: 'pbs', options: { cores: 2, memory: '4GB' } },
    });
    expect(pbs.body).toMatchObject({ accepted: true, command: null });
    expect((pbs.body as { message: string }).message).toMatch(/no dry-run command/);
    const local = await api.call('POST', '/api/dry-run', { body: { kind: 'local' } });
    expect(local.body).toMatchObject({ accepted: true });
  });

  it('clusters: create, list, get, scale, adapt, metrics, jobs, delete; names are unique', async () => {
    const created = await api.call('POST', '/api/clusters', {
      body: { kind: 'local', name: 'alpha', scale: 1 },
    });
    expect(created.status).toBe(201);
    const model = created.body as ClusterModel;
    expect(model).toMatchObject({
      name: 'alpha',
      kind: 'local',
      state: 'running',
      workers: { connected: 1, requested: 1 },
      cores: 1,
      jobs: null,
    });
    expect(model.timeToFirstWorkerMs).toBeGreaterThanOrEqual(0);
    expect(model.clientCode).toContain('Client.connect("ws://127.0.0.1:');

    const duplicate = await api.call('POST', '/api/clusters', {
      body: { kind: 'local', name: 'alpha', scale: 0 },
    });
    expect(duplicate.status).toBe(409);
    expect(errorOf(duplicate).field).toBe('name');
    const unnamed = (await api.call('POST', '/api/clusters', { body: { kind: 'local', scale: 0 } }))
      .body as ClusterModel;
    expect(unnamed.name).toBe('local-1');

    expect(((await api.call('GET', '/api/clusters')).body as ClusterModel[]).map((c) => c.name)).toEqual([
      'alpha',
      'local-1',
    ]);
    expect(((await api.call('GET', '/api/clusters/alpha')).body as ClusterModel).name).toBe('alpha');
    expect(errorOf(await api.call('GET', '/api/clusters/nope'))).toMatchObject({ code: 'not-found' });

    const scaled = (await api.call('PATCH', '/api/clusters/alpha', { body: { scale: 2 } }))
      .body as ClusterModel;
    expect(scaled.workers).toEqual({ connected: 2, requested: 2 });
    const badScale = await api.call('PATCH', '/api/clusters/alpha', { body: { scale: 'many' } });
    expect(badScale.status).toBe(400);
    expect(errorOf(badScale).field).toBe('scale');

    const adapted = (
      await api.call('PATCH', '/api/clusters/alpha', { body: { adapt: { minimum: 1, maximum: 3 } } })
    ).body as ClusterModel;
    expect(adapted.adaptive).toEqual({ minimum: 1, maximum: 3 });
    const stopped = (await api.call('PATCH', '/api/clusters/alpha', { body: { adapt: null } }))
      .body as ClusterModel;
    expect(stopped.adaptive).toBeNull();

    await runTasks(addressOf(model.clientCode), 3, 'inc');
    const metrics = (await api.call('GET', '/api/clusters/alpha/metrics')).body as {
      workers: unknown[];
      groups: { group: string; total: number }[];
    };
    expect(metrics.workers.length).toBeGreaterThanOrEqual(1);
    expect(metrics.groups).toEqual([]); // the program that ran them has released its results

    expect((await api.call('GET', '/api/clusters/alpha/jobs')).body).toEqual([]);
    expect(errorOf(await api.call('GET', '/api/clusters/alpha/jobs/1/log'))).toMatchObject({
      code: 'no-jobs',
    });

    expect((await api.call('DELETE', '/api/clusters/alpha')).status).toBe(204);
    expect((await api.call('DELETE', '/api/clusters/local-1')).status).toBe(204);
    expect((await api.call('GET', '/api/clusters/alpha')).status).toBe(404);
    expect((await api.call('GET', '/api/clusters')).body).toEqual([]);
  });

  it('profiles: save, list, get, load and delete, batch and local', async () => {
    expect((await api.call('PUT', '/api/profiles/big-slurm', { body: SLURM })).status).toBe(200);
    expect(
      (
        await api.call('PUT', '/api/profiles/laptop', {
          body: { kind: 'local', scale: 3, options: { threadsPerWorker: 2 } },
        })
      ).status,
    ).toBe(200);
    const list = (await api.call('GET', '/api/profiles')).body as { name: string; spec: { kind: string } }[];
    expect(list.map((p) => [p.name, p.spec.kind])).toEqual([
      ['big-slurm', 'slurm'],
      ['laptop', 'local'],
    ]);
    expect((await api.call('GET', '/api/profiles/laptop')).body).toMatchObject({
      spec: { scale: 3, options: { threadsPerWorker: 2 } },
    });
    expect(errorOf(await api.call('PUT', '/api/profiles/bad name', { body: SLURM })).field).toBe('name');
    expect((await api.call('DELETE', '/api/profiles/big-slurm')).status).toBe(204);
    expect((await api.call('GET', '/api/profiles/big-slurm')).status).toBe(404);
  });

  it('the event socket sends the clusters, their changes, aggregated task batches and worker metrics', async () => {
    const ws = new WebSocket(`${api.url.replace('http', 'ws')}/api/events?token=${api.token}`);
    const events: ServerEvent[] = [];
    ws.on('message', (data) => events.push(JSON.parse(data.toString()) as ServerEvent));
    await new Promise((resolve) => ws.once('open', resolve));
    const model = (
      await api.call('POST', '/api/clusters', { body: { kind: 'local', name: 'streamed', scale: 2 } })
    ).body as ClusterModel;
    await waitFor(
      () => events.some((e) => e.type === 'cluster' && e.cluster.state === 'running'),
      10_000,
      'a cluster event',
    );
    ws.send(JSON.stringify({ type: 'subscribe', cluster: 'streamed' }));
    await runTasks(addressOf(model.clientCode), 2000, 'noop');
    await waitFor(
      () =>
        events
          .filter((e) => e.type === 'tasks')
          .reduce((n, e) => n + (e.type === 'tasks' ? e.batch.tasks : 0), 0) >= 2000,
      10_000,
      'task batches for 2000 tasks',
    );
    const batches = events.flatMap((e) => (e.type === 'tasks' ? [e.batch] : []));
    expect(batches[0]!.reset).toBe(true);
    const bars = batches.reduce((n, b) => n + b.bars.length / 6, 0);
    expect(bars).toBeLessThan(2000); // back-to-back tasks were merged into fewer bars
    expect(batches.flatMap((b) => b.newGroups)).toContain('noop');
    await waitFor(
      () => events.some((e) => e.type === 'metrics' && e.workers.length === 2),
      5000,
      'worker metrics',
    );
    await api.call('DELETE', '/api/clusters/streamed');
    await waitFor(
      () => events.some((e) => e.type === 'cluster-removed' && e.name === 'streamed'),
      5000,
      'removal event',
    );
    ws.close();
  });
});
