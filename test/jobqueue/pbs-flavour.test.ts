// PBS comes in two dialects: Torque (nodes=1:ppn=N, mem=) and PBS Pro / OpenPBS (select=1:ncpus=N:mem=).
// A cluster that is not told which asks `qstat --version`; the Torque e2e in other-batch-clusters
// relies on that detection against Slurm's Torque wrappers.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { JobQueueConfigError, pbsFlavorFromVersion, renderJobScript, resolveJob } from '@drover/core';
import { torqueBinDirectory } from './helpers/batch-systems.js';

const base = { cores: 4, memory: '8GB', walltime: '00:10:00' };

describe('PBS flavour', () => {
  it('Torque: nodes=1:ppn=N with a job-wide mem=; PBS Pro: one select chunk', () => {
    const torque = renderJobScript('pbs', { ...base, flavour: 'torque' });
    expect(torque).toContain('#PBS -l nodes=1:ppn=4\n#PBS -l mem=7630MB\n');
    expect(torque).not.toContain('select=');
    const pro = renderJobScript('pbs', { ...base, flavour: 'pbspro' });
    expect(pro).toContain('#PBS -l select=1:ncpus=4:mem=7630MB\n');
  });

  it('an unknown flavour is refused, naming the field and the two choices', () => {
    let error: unknown;
    try {
      resolveJob('pbs', { ...base, flavour: 'openlava' as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JobQueueConfigError);
    expect((error as JobQueueConfigError).field).toBe('flavour');
    expect((error as Error).message).toMatch(/"torque" or "pbspro"/);
  });

  it('reads the flavour from what qstat --version prints', () => {
    expect(pbsFlavorFromVersion('pbs_version = 2022.1.1\n')).toBe('pbspro');
    expect(pbsFlavorFromVersion('Version: 6.1.3\nCommit: 0e1c\n')).toBe('torque');
    expect(pbsFlavorFromVersion('SGE 8.1.9\nusage: qstat [options]\n')).toBeNull();
  });

  it("Slurm's Torque wrappers (the CI's PBS) are detected as Torque from their real output", async () => {
    const bin = await torqueBinDirectory();
    let out = '';
    try {
      out = execFileSync(`${bin}/qstat`, ['--version'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      const failed = e as { stdout?: string; stderr?: string };
      out = `${failed.stdout ?? ''}\n${failed.stderr ?? ''}`;
    }
    expect(pbsFlavorFromVersion(out)).toBe('torque');
  });
});
