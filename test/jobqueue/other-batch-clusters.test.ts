// The engine's workers in PBS (Debian's Torque wrappers over the local SLURM), LSF (the shim in
// test/fixtures/lsf-shim, over the same SLURM) and Grid Engine (real) jobs: start, scale, compute, close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, JobQueueCluster, type BatchKind, type JobQueueClusterOptions } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { waitFor } from '../helpers/processes.js';
import { bringUpBatchSystems, liveSgeJobs, liveSlurmJobs, LSF_SHIM } from './helpers/batch-systems.js';

const logs = mkdtempSync(join(tmpdir(), 'drover-batch-e2e-'));
let dispose: () => Promise<void> = async () => {};
let torqueBin = '';

beforeAll(async () => {
  const up = await bringUpBatchSystems();
  dispose = up.dispose;
  torqueBin = up.torqueBin;
}, 900_000);

afterAll(async () => {
  await dispose();
  rmSync(logs, { recursive: true, force: true });
});

function settings(kind: BatchKind): Partial<JobQueueClusterOptions> {
  // Torque's qsub wrappers write job output to the directory they run in: the test's, not the repo.
  if (kind === 'pbs') return { commandOptions: { binDirectory: torqueBin, cwd: logs } };
  if (kind === 'lsf')
    return { lsfUnitsForLimits: 'KB', commandOptions: { binDirectory: LSF_SHIM, env: { LSF_ENVDIR: logs } } };
  return { commandOptions: { binDirectory: '/usr/bin' } };
}

describe.each(['pbs', 'lsf', 'sge'] as const)('%s cluster with real workers', (kind) => {
  it('scales to 2 jobs, computes 500 tasks on workers linked to their jobs, scales down, closes leaving no job', async () => {
    const name = `drover-e2e-${kind}`;
    const cluster = await JobQueueCluster.start(kind, {
      cores: 1,
      memory: '300MB',
      walltime: kind === 'lsf' ? '00:10' : '00:10:00',
      name,
      logDirectory: logs,
      pollIntervalMs: 500,
      ...settings(kind),
    });
    const client = await Client.connect(cluster);
    onCleanup(async () => {
      await client.close();
      await cluster.close();
    });
    expect(cluster.jobScript()).toContain(`--token-file`);
    await cluster.scale({ jobs: 2 });
    await waitFor(() => cluster.scheduler.workers.size === 2, 90_000, `two ${kind} workers`);
    const ids = new Set(cluster.jobs().map((j) => j.jobId));
    for (const worker of cluster.scheduler.workers.values())
      expect(ids.has(worker.identity.jobId!)).toBe(true);
    const values = await client.gather(
      client.map(
        (x: number) => x * 3,
        Array.from({ length: 500 }, (_, i) => i),
      ),
    );
    expect(values).toEqual(Array.from({ length: 500 }, (_, i) => i * 3));
    await cluster.scale({ jobs: 1 });
    await waitFor(() => cluster.scheduler.workers.size === 1, 60_000, 'scale down to one job');
    await client.close();
    await cluster.close();
    expect(cluster.jobs().every((j) => j.state.state === 'cancelled' || j.state.state === 'finished')).toBe(
      true,
    );
    // This cluster's jobs only: other suites may have jobs in the same queue. PBS and LSF here are
    // wrappers over SLURM, which lists the same job ids without the PBS server suffix.
    const live = kind === 'sge' ? liveSgeJobs() : liveSlurmJobs();
    const mine = cluster.jobs().map((j) => j.jobId.split('.')[0]!);
    expect(live.filter((id) => mine.includes(id))).toEqual([]);
  });
});
