// The manager API starting a SLURM cluster on the real local SLURM: jobs, pending reasons, logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterModel, JobModel } from '@drover/core';
import { errorOf, runTasks, startApi, type TestApi } from '../helpers/api.js';
import { waitFor } from '../helpers/processes.js';
import { ensureSlurm, slurmJobsNamed } from '../jobqueue/helpers/slurm-up.js';

const logs = mkdtempSync(join(tmpdir(), 'drover-api-slurm-'));
let api: TestApi;
let stopSlurm: () => Promise<void> = async () => {};

beforeAll(async () => {
  stopSlurm = await ensureSlurm();
  api = await startApi();
}, 600_000);

afterAll(async () => {
  await api.close();
  await stopSlurm();
  rmSync(logs, { recursive: true, force: true });
});

const options = {
  cores: 1,
  memory: '300MB',
  walltime: '00:10:00',
  logDirectory: logs,
  name: 'drover-api-job',
};

describe('batch clusters through the API', () => {
  it('creates a SLURM cluster, lists its jobs and their logs, runs tasks, scales and deletes it leaving no job', async () => {
    const created = await api.call('POST', '/api/clusters', {
      body: { kind: 'slurm', name: 'hpc', scale: 1, options },
    });
    expect(created.status).toBe(201);
    await waitFor(
      async () => {
        const cluster = (await api.call('GET', '/api/clusters/hpc')).body as ClusterModel;
        return cluster.workers.connected === 1 && cluster.jobs?.running === 1;
      },
      60_000,
      'the first job running and its worker connected',
    );
    const model = (await api.call('GET', '/api/clusters/hpc')).body as ClusterModel;
    expect(model).toMatchObject({ kind: 'slurm', state: 'running', jobs: { running: 1 } });
    const jobs = (await api.call('GET', '/api/clusters/hpc/jobs')).body as JobModel[];
    expect(jobs).toHaveLength(1);
    await runTasks(decodeURIComponent(model.clientCode.match(/ws:\/\/[^"]+/)![0]), 200);
    const log = await api.call('GET', `/api/clusters/hpc/jobs/${jobs[0]!.jobId}/log?stream=stderr`);
    expect(log.status).toBe(200);
    const scaled = await api.call('PATCH', '/api/clusters/hpc', { body: { scale: 2 } });
    expect(scaled.status).toBe(200);
    await waitFor(
      async () => ((await api.call('GET', '/api/clusters/hpc')).body as ClusterModel).workers.connected === 2,
      60_000,
      'the second job',
    );
    expect((await api.call('DELETE', '/api/clusters/hpc')).status).toBe(204);
    await waitFor(() => slurmJobsNamed('drover-api-job').length === 0, 20_000, 'no job left in squeue');
  });

  it('a partition SLURM does not have: 502 with sbatch’s own message, and no cluster is left', async () => {
    const answer = await api.call('POST', '/api/clusters', {
      body: { kind: 'slurm', name: 'bad', scale: 1, options: { ...options, queue: 'no-such-partition' } },
    });
    expect(answer.status).toBe(502);
    expect(errorOf(answer)).toMatchObject({ code: 'batch-system-refused' });
    expect(errorOf(answer).message).toMatch(/invalid partition/i);
    expect(
      ((await api.call('GET', '/api/clusters')).body as ClusterModel[]).map((c) => c.name),
    ).not.toContain('bad');
  });

  it('scale and adapt count workers, as in code: scale 2 of a 2-process job submits one job', async () => {
    const created = await api.call('POST', '/api/clusters', {
      body: {
        kind: 'slurm',
        name: 'units',
        scale: 2,
        options: { ...options, cores: 2, processes: 2, memory: '600MB', name: 'drover-api-units' },
      },
    });
    expect(created.status).toBe(201);
    await waitFor(
      async () =>
        ((await api.call('GET', '/api/clusters/units')).body as ClusterModel).workers.connected === 2,
      60_000,
      'two workers from one job',
    );
    expect(slurmJobsNamed('drover-api-units')).toHaveLength(1);
    const adapted = (
      await api.call('PATCH', '/api/clusters/units', { body: { adapt: { minimum: 0, maximum: 4 } } })
    ).body as ClusterModel;
    expect(adapted.adaptive).toEqual({ minimum: 0, maximum: 4 }); // workers: up to 2 jobs
    expect((await api.call('DELETE', '/api/clusters/units')).status).toBe(204);
    await waitFor(() => slurmJobsNamed('drover-api-units').length === 0, 20_000, 'no job left in squeue');
  });
});
