// Starting from a saved profile, in code (SlurmCluster.fromProfile) and from the command line
// (drover local --profile), with the profiles file the dashboard saves to.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, JobQueueConfigError, PbsCluster, SlurmCluster } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { startDrover } from '../helpers/processes.js';
import { ensureSlurm, slurmJobsNamed } from './helpers/slurm-up.js';

const dir = mkdtempSync(join(tmpdir(), 'drover-profile-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const profiles = join(dir, 'profiles.yaml');
writeFileSync(
  profiles,
  [
    'profiles:',
    '  gpu-large:',
    '    kind: slurm',
    '    cores: 1',
    '    memory: 300MB',
    '    walltime: "00:10:00"',
    '    name: drover-e2e-profile',
    `    logDirectory: ${dir}`,
    'localProfiles:',
    '  laptop:',
    '    kind: local',
    '    scale: 2',
    '    options: { threadsPerWorker: 1 }',
    '',
  ].join('\n'),
);

describe('start from a saved profile', () => {
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    stop = await ensureSlurm();
  }, 600_000);
  afterAll(() => stop());

  it("SlurmCluster.fromProfile('gpu-large') starts the saved job with overrides; its worker computes", async () => {
    const cluster = await SlurmCluster.fromProfile('gpu-large', { jobs: 1, pollIntervalMs: 500 }, profiles);
    const client = await Client.connect(cluster);
    onCleanup(async () => {
      await client.close();
      await cluster.close();
      expect(slurmJobsNamed('drover-e2e-profile')).toEqual([]);
    });
    expect(cluster.name).toBe('gpu-large');
    expect(cluster.jobScript()).toContain('#SBATCH -J drover-e2e-profile');
    expect(await client.submit((x: number) => x * 2, 21)).toBe(42);
  }, 180_000);

  it('a missing profile names the saved ones; a profile of another kind is refused', async () => {
    await expect(SlurmCluster.fromProfile('nope', {}, profiles)).rejects.toThrow(
      /"nope" is not a saved profile in .*profiles\.yaml; saved: gpu-large/,
    );
    const wrongKind = PbsCluster.fromProfile('gpu-large', {}, profiles);
    await expect(wrongKind).rejects.toBeInstanceOf(JobQueueConfigError);
    await expect(wrongKind).rejects.toThrow(/"gpu-large" is a slurm profile, not pbs/);
  });

  it('drover local --profile laptop starts the saved local cluster in the foreground', async () => {
    const cli = startDrover(['local', '--profile', 'laptop', '--profiles-file', profiles]);
    onCleanup(() => cli.stop());
    const [, address] = await cli.line(/Connect: const client = await Client.connect\('([^']+)'\)/, 60_000);
    const client = await Client.connect(address!);
    onCleanup(() => client.close());
    expect(cli.output()).toContain("local cluster 'laptop' (profile)");
    expect(await client.gather(client.map((x: number) => x + 1, [1, 2]))).toEqual([2, 3]);
  }, 120_000);
});
