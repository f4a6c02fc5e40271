// GPUs taken from the batch system: the local SLURM advertises 4 fake GPUs as gres (device files
// like /dev/null, see scripts/ci/slurm-start.sh); two jobs of --gres=gpu:2 get disjoint devices
// from SLURM, and each job's two worker processes split its pair, so four tasks holding a GPU at
// once see four different devices — SLURM's assignment, not ids made up from 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, JobQueueCluster } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { waitFor } from '../helpers/processes.js';
import { ensureSlurm, slurmJobsNamed } from './helpers/slurm-up.js';

const logs = mkdtempSync(join(tmpdir(), 'drover-gpus-'));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

describe('GPUs on the real local SLURM', () => {
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    stop = await ensureSlurm();
  }, 600_000);
  afterAll(() => stop());

  it('two jobs of 2 GPUs and 2 processes: every worker process and task gets its own SLURM-assigned device', async () => {
    const name = 'drover-e2e-gpus';
    const cluster = await JobQueueCluster.start('slurm', {
      cores: 2,
      processes: 2,
      gpus: 2,
      memory: '600MB',
      walltime: '00:10:00',
      name,
      logDirectory: logs,
      pollIntervalMs: 500,
      commandOptions: { cwd: logs },
    });
    const client = await Client.connect(cluster);
    onCleanup(async () => {
      await client.close();
      await cluster.close();
      expect(slurmJobsNamed(name), 'jobs left in the queue after close').toEqual([]);
    });
    expect(cluster.jobScript()).toContain('#SBATCH --gres=gpu:2\n');
    await cluster.scale({ jobs: 2 });
    await waitFor(() => cluster.scheduler.workers.size === 4, 120_000, 'four worker processes from two jobs');
    for (const worker of cluster.scheduler.workers.values()) expect(worker.capacity.gpus).toBe(1);
    const holdGpu = async (_i: number) => {
      await new Promise((resolve) => setTimeout(resolve, 2000)); // all four at once
      return (globalThis as { droverTask?: { gpus: string[] } }).droverTask!.gpus;
    };
    const gpu = client.with({ resources: { gpus: 1 } });
    const seen = await client.gather([0, 1, 2, 3].map((i) => gpu.submit(holdGpu, i)));
    expect(seen.flat().sort()).toEqual(['0', '1', '2', '3']);
    // A command task is shown only its own device.
    const shown = await gpu.command({ argv: ['sh', '-c', 'printf %s "$CUDA_VISIBLE_DEVICES"'] });
    expect(['0', '1', '2', '3']).toContain(shown.stdoutTail);
  }, 300_000);
});
