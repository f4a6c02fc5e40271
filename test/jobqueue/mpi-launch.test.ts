// `drover mpi` under a real launcher: srun in a SLURM job starts the scheduler on rank 0 and a worker
// on every other rank, and a program connects through the scheduler file (ESPEI's dask-mpi pattern).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { DROVER_CLI, startDrover, waitFor } from '../helpers/processes.js';
import { mpiRank } from '../../core/dist/cli/mpi-rank.js';
import { ensureSlurm, slurmJobsNamed } from './helpers/slurm-up.js';

const dir = mkdtempSync(join(tmpdir(), 'drover-mpi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('drover mpi', () => {
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    stop = await ensureSlurm();
  }, 600_000);
  afterAll(() => stop());

  it('srun -n 3: rank 0 is the scheduler, ranks 1 and 2 are workers; a program connects through the file', async () => {
    const file = join(dir, 'scheduler.json');
    // A file from an earlier launch must not send anyone to a scheduler that is gone.
    writeFileSync(file, JSON.stringify({ address: 'ws://127.0.0.1:9', token: 'stale' }));
    const name = 'drover-mpi-e2e';
    const script = join(dir, 'mpi.sh');
    writeFileSync(
      script,
      [
        '#!/bin/bash',
        `#SBATCH --job-name=${name}`,
        '#SBATCH --ntasks=3',
        '#SBATCH --time=00:05:00',
        `#SBATCH --output=${join(dir, 'mpi-%j.out')}`,
        `srun '${process.execPath}' '${DROVER_CLI}' mpi --scheduler-file '${file}' --nthreads 1`,
        '',
      ].join('\n'),
    );
    const jobId = execFileSync('sbatch', ['--parsable', script], { encoding: 'utf8' }).trim();
    onCleanup(async () => {
      execFileSync('scancel', [jobId]);
      await waitFor(() => slurmJobsNamed(name).length === 0, 60_000, 'the MPI job to leave the queue');
    });
    let client: Client | null = null;
    await waitFor(
      async () => {
        client ??= await Client.connect({ schedulerFile: file }, { timeoutMs: 2000 }).catch(() => null);
        return client !== null && (await client.status()).workers.length === 2;
      },
      60_000,
      'the scheduler of rank 0 with the workers of ranks 1 and 2',
    );
    onCleanup(() => client!.close());
    const status = await client!.status();
    expect(status.workers.map((w) => w.name.replace(/^.*-rank-/, 'rank-')).sort()).toEqual([
      'rank-1',
      'rank-2',
    ]);
    // The workers run inside the job: they report its id.
    expect(status.workers.map((w) => w.jobId)).toEqual([jobId, jobId]);
    expect(await client!.gather(client!.map((x: number) => x * x, [1, 2, 3, 4]))).toEqual([1, 4, 9, 16]);
  });

  it('reads the rank the launchers set, most specific first, and refuses to guess without one', async () => {
    expect(mpiRank({ OMPI_COMM_WORLD_RANK: '3', SLURM_PROCID: '0' })).toEqual({
      rank: 3,
      from: 'OMPI_COMM_WORLD_RANK',
    });
    expect(mpiRank({ PMI_RANK: '1' })?.rank).toBe(1);
    expect(mpiRank({ SLURM_PROCID: '2' })?.rank).toBe(2);
    expect(mpiRank({})).toBeNull();
    // This test process was not started by a launcher, so its environment carries no rank.
    expect(mpiRank()).toBeNull();
    const alone = startDrover(['mpi', '--scheduler-file', join(dir, 'none.json')]);
    onCleanup(() => alone.stop());
    expect(await alone.exitCode()).toBe(2);
    expect(alone.output()).toMatch(/no MPI rank in the environment .*start it with mpirun or srun/);
    const noFile = startDrover(['mpi', '--rank', '1']);
    onCleanup(() => noFile.stop());
    expect(await noFile.exitCode()).toBe(2);
    expect(noFile.output()).toMatch(/--scheduler-file is required/);
  });
});
