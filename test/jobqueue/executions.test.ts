// Several execution definitions in one configuration file, apart from the workflow (psiflow's
// config.py pattern): a local default and a SLURM definition with its own cores per task and MPI
// command share one scheduler; each kind of task runs where its definition says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Executions, JobQueueConfigError } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { ensureSlurm, slurmJobsNamed } from './helpers/slurm-up.js';

const dir = mkdtempSync(join(tmpdir(), 'drover-executions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('execution definitions from one file', () => {
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    stop = await ensureSlurm();
  }, 600_000);
  afterAll(() => stop());

  it('a local default and a SLURM "md" definition: tasks and MPI commands run where their definition says', async () => {
    const config = join(dir, 'drover.yaml');
    writeFileSync(
      config,
      [
        'executions:',
        '  default: { kind: local, workers: 1 }',
        '  md:',
        '    kind: slurm',
        '    cores: 2',
        '    processes: 1',
        '    memory: 600MB',
        "    walltime: '00:10:00'",
        '    name: drover-e2e-executions',
        `    logDirectory: ${dir}`,
        '    coresPerTask: 2',
        "    mpiCommand: 'srun --ntasks={cores} --cpus-per-task=1'",
        '    jobs: 1',
        '',
      ].join('\n'),
    );
    const executions = await Executions.start(config);
    const client = await Client.connect(executions);
    onCleanup(async () => {
      await client.close();
      await executions.close();
      expect(slurmJobsNamed('drover-e2e-executions')).toEqual([]);
    });
    const where = () => process.env.SLURM_JOB_ID ?? 'not in a job';
    expect(await executions.on(client, 'default').submit(where)).toBe('not in a job');
    expect(executions.clusters.get('md')!.status().kind).toBe('slurm');
    expect(await executions.on(client, 'md').submit(where)).toMatch(/^\d+$/);
    const ranks = await executions.command(client, 'md', {
      argv: ['sh', '-c', 'echo "rank $SLURM_PROCID"'],
    });
    expect(ranks.stdoutTail.split('\n').filter(Boolean).sort()).toEqual(['rank 0', 'rank 1']);
  }, 240_000);

  it('a definition whose tasks no worker of it could run is refused before anything starts', async () => {
    await expect(
      Executions.start({
        executions: {
          md: { kind: 'slurm', cores: 4, processes: 4, memory: '4GB', coresPerTask: 2 },
        },
      }),
    ).rejects.toThrow(/executions\.md\.coresPerTask: 2 is more than a worker's 1 cores/);
    await expect(Executions.start({ executions: { x: { kind: 'condor' as never } } })).rejects.toBeInstanceOf(
      JobQueueConfigError,
    );
  });
});
