// Golden job scripts: the exact text Drover submits for a representative parameter set, per batch
// system, compared line by line. Regenerate with `node test/fixtures/golden/generate.mjs` after a
// deliberate change, and review the diff.
//
// Where each directive comes from (batch systems' own documentation):
// SLURM, sbatch(1) https://slurm.schedmd.com/sbatch.html
//   -J job name; -e/-o output files, %j = job id ("filename pattern"); -p partition; -A account;
//   -n tasks; -N nodes; --cpus-per-task; --mem (default unit MB, suffixes K/M/G/T are binary);
//   -t time ("minutes", "MM:SS", "HH:MM:SS", "D-HH:MM:SS"); --gres=gpu:N; --exclusive.
// PBS Pro / OpenPBS, qsub(1B) and "PBS Professional Reference Guide, Resources"
//   -N name; -q queue; -A account string; -l select=1:ncpus=N:ngpus=N:mem=size (size suffixes
//   b/kb/mb/gb/tb, binary); -l walltime=[[hours:]minutes:]seconds; -e/-o path (a directory gives
//   <name>.o<sequence>); -l place=excl.
// IBM Spectrum LSF 10.1, bsub(1) https://www.ibm.com/docs/en/spectrum-lsf/10.1.0?topic=bsub-options
//   -J name; -e/-o file, %J = job id; -q queue; -P project; -n slots; -R "rusage[mem=N] span[hosts=1]"
//   (resource requirement string); -M memory limit in LSF_UNIT_FOR_LIMITS (lsf.conf);
//   -W [hour:]minute run limit; -gpu "num=N"; -x exclusive. Scripts are read from stdin: bsub < job.sh.
// Grid Engine, qsub(1) (Son of Grid Engine 8.1.9 man page, `man qsub` from gridengine-client)
//   -N name; -q queue; -P project; -pe <pe> <slots>; -l h_rt=hh:mm:ss; -l resource=value,...;
//   -S shell; -cwd; -e/-o path with pseudo variable $JOB_ID; -V export environment.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATCH_KINDS, renderJobScript } from '@drover/core';
import { GOLDEN_CONTEXT, GOLDEN_EXTRA_DIRECTIVES, GOLDEN_OPTIONS } from '../fixtures/golden/parameters.mjs';

const GOLDEN = join(import.meta.dirname, '..', 'fixtures', 'golden');

describe.each(BATCH_KINDS)('golden %s job script', (kind) => {
  const path = join(GOLDEN, `${kind}.sh`);
  const rendered = renderJobScript(
    kind,
    { ...GOLDEN_OPTIONS, jobExtraDirectives: GOLDEN_EXTRA_DIRECTIVES[kind] },
    GOLDEN_CONTEXT,
  );

  it('matches the golden file line by line', () => {
    const want = readFileSync(path, 'utf8').split('\n');
    const got = rendered.split('\n');
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      expect(got[i], `${kind}.sh line ${i + 1}`).toBe(want[i]);
    }
  });

  it('is valid bash and never holds the token itself', () => {
    execFileSync('bash', ['-n', path]);
    expect(rendered).toContain('--token-file /shared/drover/state/mycluster.token');
    expect(rendered).not.toMatch(/--token [^-]/);
  });
});
