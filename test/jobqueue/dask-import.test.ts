import { describe, expect, it } from 'vitest';
import {
  importDaskJobqueueConfig,
  JobQueueConfigError,
  renderJobScript,
  type JobQueueOptions,
} from '@drover/core';

// Shaped like dask-jobqueue's own jobqueue.yaml (kebab-case keys, nulls for "unset", old names).
const JOBQUEUE_YAML = `
jobqueue:
  slurm:
    name: dask-worker
    cores: 8
    memory: 16GB
    processes: 2
    interface: ib0
    death-timeout: 60
    local-directory: $TMPDIR
    shared-temp-directory: null
    extra: ["--lifetime", "55m"]
    worker-extra-args: []
    shebang: "#!/usr/bin/env bash"
    queue: regular
    account: proj1
    walltime: '01:30:00'
    env-extra: ["module load python"]
    job-script-prologue: []
    job-script-epilogue: ["echo done"]
    job-cpu: null
    job-mem: null
    job-extra: ["--exclusive"]
    job-extra-directives: []
    job-directives-skip: ["--mem"]
    log-directory: null
    python: /opt/conda/bin/python
    nanny: true
    scheduler-options: {}
    frobnicate: 3
  lsf:
    cores: 4
    memory: 8GB
    walltime: '00:30'
    project: lsfproj
    use-stdin: true
    lsf-units: MB
    ncpus: null
  htcondor:
    cores: 1
`;

describe('importing a dask jobqueue.yaml', () => {
  const results = importDaskJobqueueConfig(JOBQUEUE_YAML);
  const slurm = results.find((r) => r.kind === 'slurm')!;
  const lsf = results.find((r) => r.kind === 'lsf')!;

  it('imports each supported section, kebab-case keys to Drover options', () => {
    expect(results.map((r) => r.kind)).toEqual(['slurm', 'lsf']);
    expect(slurm.options).toMatchObject({
      name: 'dask-worker',
      cores: 8,
      memory: '16GB',
      processes: 2,
      interface: 'ib0',
      deathTimeout: 60,
      localDirectory: '$TMPDIR',
      queue: 'regular',
      account: 'proj1',
      walltime: '01:30:00',
      jobScriptEpilogue: ['echo done'],
      jobDirectivesSkip: ['--mem'],
    });
    expect(lsf.options).toMatchObject({
      account: 'lsfproj',
      useStdin: true,
      lsfUnitsForLimits: 'MB',
      walltime: '00:30',
    });
  });

  it('takes old names (env-extra, job-extra, extra) when the new ones are empty, with a warning', () => {
    expect(slurm.options.jobExtraDirectives).toEqual(['--exclusive']);
    expect(slurm.options.jobScriptPrologue).toEqual(['module load python']);
    expect(slurm.options.workerExtraArgs).toEqual(['--lifetime', '55m']);
    expect(slurm.warnings.some((w) => w.includes("job-extra is dask's old name"))).toBe(true);
    expect(slurm.warnings.some((w) => w.includes("env-extra is dask's old name"))).toBe(true);
    expect(slurm.warnings.some((w) => w.includes("extra is dask's old name for worker-extra-args"))).toBe(
      true,
    );
  });

  it('warns about keys that mean nothing to Drover or that it does not know, and skips nulls', () => {
    expect(slurm.warnings).toContain(
      'jobqueue.slurm.python is ignored: Drover workers run on Node; set workerCommand if the default node/drover paths do not fit',
    );
    expect(slurm.warnings.some((w) => w.startsWith('jobqueue.slurm.nanny is ignored'))).toBe(true);
    expect(slurm.warnings).toContain(
      'jobqueue.slurm.frobnicate is not a dask-jobqueue key Drover knows; it was left out',
    );
    expect(slurm.warnings.join('\n')).not.toContain('shared-temp-directory');
    expect(slurm.options).not.toHaveProperty('jobCpu');
  });

  it('produces options that render: an LSF "00:30" walltime stays 30 minutes (LSF HH:MM)', () => {
    const script = renderJobScript('lsf', lsf.options as JobQueueOptions);
    expect(script).toContain('#BSUB -W 00:30');
    expect(script).toContain('#BSUB -M 7630');
    expect(renderJobScript('slurm', slurm.options as JobQueueOptions)).not.toContain('--mem=');
  });

  it('keeps the new name when both are set, and says the old one was ignored', () => {
    const [r] = importDaskJobqueueConfig(
      'jobqueue:\n  pbs:\n    env-extra: [a]\n    job-script-prologue: [b]\n',
    );
    expect(r!.options.jobScriptPrologue).toEqual(['b']);
    expect(r!.warnings).toContain(
      'jobqueue.pbs.env-extra is ignored because job-script-prologue is also set',
    );
  });

  it('refuses text without a supported section', () => {
    expect(() => importDaskJobqueueConfig('jobqueue:\n  oar:\n    cores: 1\n')).toThrow(JobQueueConfigError);
    expect(() => importDaskJobqueueConfig(': : :')).toThrow(/not valid YAML|no "jobqueue:"/);
  });
});
