// Golden job scripts: the exact text Drover submits for a representative parameter set, per batch
// system, compared line by line. Regenerate with `node test/fixtures/golden/generate.mjs` after a
// deliberate change, and review the diff.
//
// Where each directive comes from (batch systems' own documentation):
// SLURM, sbatch(1) https://slurm.schedmd.com/sbatch.html
//   -J job name; -e/-o output files, %j = job id ("filename pattern"); -p partition; -A account;
//   -n tasks; -N nodes; --cpus-per-task; --mem (default unit MB, suffixes K/M/G/T are binary);
//   -t time ("minutes", "MM:SS", "HH:MM:SS", "D-HH:MM:SS"); --gres=gpu:N ("Generic resource
//   scheduling", https://slurm.schedmd.com/gres.html) or --gpus=N (SLURM >= 19.05); --exclusive.
// PBS Pro / OpenPBS, qsub(1B) and "PBS Professional Reference Guide, Resources"
//   -N name; -q queue; -A account string; -l select=1:ncpus=N:ngpus=N:mem=size (size suffixes
//   b/kb/mb/gb/tb, binary); -l walltime=[[hours:]minutes:]seconds; -e/-o path (a directory gives
//   <name>.o<sequence>); -l place=excl.
// Torque 6, qsub(1) and the Administrator Guide, "Requesting resources"
//   -l nodes=1:ppn=N[:gpus=G] (one node, N processors per node, G GPUs); -l mem=size (job total).
// IBM Spectrum LSF 10.1, bsub(1) https://www.ibm.com/docs/en/spectrum-lsf/10.1.0?topic=bsub-options
//   -J name; -e/-o file, %J = job id; -q queue; -P project; -n slots; -R "rusage[mem=N] span[hosts=1]"
//   (resource requirement string); -M memory limit in LSF_UNIT_FOR_LIMITS (lsf.conf);
//   -W [hour:]minute run limit; -gpu "num=N" ("Submitting jobs that require GPU resources"); -x
//   exclusive; -P "project name" (quoted when it has spaces). Scripts are read from stdin: bsub < job.sh.
// Grid Engine, qsub(1) (Son of Grid Engine 8.1.9 man page, `man qsub` from gridengine-client)
//   -N name; -q queue; -P project; -pe <pe> <slots>; -l h_rt=hh:mm:ss; -l resource=value,...;
//   -S shell; -cwd; -e/-o path with pseudo variable $JOB_ID; -V export environment. GPUs are a
//   site-defined consumable (complex(5)), -l <name>=N; with an RSMAP the job gets SGE_HGR_<name>.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATCH_KINDS, renderJobScript } from '@drover/core';
import {
  GOLDEN_CONTEXT,
  GOLDEN_EXTRA_DIRECTIVES,
  GOLDEN_OPTIONS,
  GOLDEN_VARIANTS,
} from '../fixtures/golden/parameters.mjs';

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

describe.each(GOLDEN_VARIANTS)('golden $file', ({ file, kind, options, installation }) => {
  const path = join(GOLDEN, file);
  const rendered = renderJobScript(
    kind,
    { ...GOLDEN_OPTIONS, jobExtraDirectives: GOLDEN_EXTRA_DIRECTIVES[kind], ...options },
    installation ? { ...GOLDEN_CONTEXT, installation } : GOLDEN_CONTEXT,
  );

  it('matches the golden file line by line and is valid bash', () => {
    const want = readFileSync(path, 'utf8').split('\n');
    const got = rendered.split('\n');
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      expect(got[i], `${file} line ${i + 1}`).toBe(want[i]);
    }
    execFileSync('bash', ['-n', path]);
  });
});

describe("GPU requests in each system's syntax (2 GPUs, 2 worker processes, 1 GPU each)", () => {
  const text = (f: string) => readFileSync(join(GOLDEN, f), 'utf8');
  it.each([
    ['slurm.sh', '#SBATCH --gres=gpu:2'],
    ['slurm-gpus.sh', '#SBATCH --gpus=2'],
    ['pbs.sh', '#PBS -l select=1:ncpus=8:ngpus=2:mem=15GB'],
    ['pbs-torque.sh', '#PBS -l nodes=1:ppn=8:gpus=2'],
    ['lsf.sh', '#BSUB -gpu "num=2"'],
    ['sge.sh', '#$ -l mem_free=15G,gpu=2'],
    ['sge-gpu-resource.sh', '#$ -l mem_free=15G,nvidia_gpu=2'],
  ])('%s requests them with %s and each process declares gpus=1', (file, line) => {
    expect(text(file).split('\n')).toContain(line);
    expect(text(file)).toContain('--nworkers 2 --memory-limit 8000000000 --resources gpus=1');
  });

  it('Torque gets its own memory line; PBS Pro keeps it in the select chunk', () => {
    expect(text('pbs-torque.sh')).toContain('#PBS -l mem=15GB\n');
    expect(text('pbs-torque.sh')).not.toContain('select=');
  });
});
