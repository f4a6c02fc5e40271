import { describe, expect, it } from 'vitest';
import {
  BATCH_KINDS,
  JobQueueConfigError,
  JOB_QUEUE_OPTIONS,
  defaultProcesses,
  renderJobScript,
  resolveJob,
} from '@drover/core';

const base = { cores: 4, memory: '8GB' };

/** The JobQueueConfigError a call throws (fails the test when it throws nothing or something else). */
function configError(fn: () => unknown): JobQueueConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(JobQueueConfigError);
    return e as JobQueueConfigError;
  }
  throw new Error('expected a JobQueueConfigError');
}

describe('option validation', () => {
  it('requires cores and memory and says how to give them', () => {
    expect(configError(() => resolveJob('slurm', { memory: '8GB' } as never)).field).toBe('cores');
    const e = configError(() => resolveJob('slurm', { cores: 4 } as never));
    expect(e.field).toBe('memory');
    expect(e.message).toMatch(/cores: 8, memory: "16GB"/);
  });

  it('names unknown options and suggests the camelCase name for a dask-style key', () => {
    const e = configError(() => resolveJob('slurm', { ...base, job_extra_directives: [] } as never));
    expect(e.field).toBe('job_extra_directives');
    expect(e.message).toMatch(/did you mean "jobExtraDirectives"/);
  });

  it.each([
    ['cores', 0],
    ['cores', 2.5],
    ['processes', 5],
    ['gpus', -1],
    ['deathTimeout', 'soon'],
    ['walltime', 'forever'],
    ['memory', 'much'],
    ['useStdin', 'yes'],
    ['lsfUnitsForLimits', 'XB'],
    ['slurmGpuDirective', 'cuda'],
    ['jobMem', '16 gigs'],
    ['shebang', '/bin/bash'],
    ['lifetimeMargin', '30 min'],
    ['lifetimeMargin', 3600],
    ['workerCommand', []],
  ])('refuses %s = %j, naming the field', (field, value) => {
    expect(configError(() => resolveJob('slurm', { ...base, [field]: value } as never)).field).toBe(field);
  });

  describe.each(['queue', 'account', 'name', 'interface', 'localDirectory', 'logDirectory'] as const)(
    'shell safety of %s',
    (field) => {
      it.each([
        ['newline', 'a\nb', /newline/],
        ['semicolon', 'a;rm -rf ~', /";"/],
        ['command substitution', 'a$(id)', /"\$\("/],
        ['backtick', 'a`id`', /backtick/],
        ['quote', `a'b`, /quote/],
        ['double quote', 'a"b', /quote/],
        ['ampersand', 'a&b', /"&"/],
        ['pipe', 'a|b', /"\|"/],
        ['redirection', 'a>b', /redirection/],
        ['space', 'a b', /whitespace/],
      ])('refuses a %s and names the field', (_what, value, why) => {
        // LSF's project may hold single spaces (quoted in the #BSUB line); see below.
        const kinds =
          field === 'account' && value === 'a b' ? BATCH_KINDS.filter((k) => k !== 'lsf') : BATCH_KINDS;
        for (const kind of kinds) {
          const e = configError(() => renderJobScript(kind, { ...base, [field]: value }));
          expect(e.field).toBe(field);
          expect(e.message).toMatch(why);
        }
      });
    },
  );

  it('quotes an LSF project with spaces (dask-jobqueue\'s "Dask On LSF") and still refuses control characters', () => {
    expect(renderJobScript('lsf', { ...base, account: 'Dask On LSF' })).toContain('#BSUB -P "Dask On LSF"\n');
    for (const bad of ['Dask\nOn', 'Dask\tOn', 'Dask  On', 'Dask "On"', 'Dask\u0007On']) {
      expect(configError(() => resolveJob('lsf', { ...base, account: bad })).field).toBe('account');
    }
    expect(configError(() => resolveJob('slurm', { ...base, account: 'Dask On' })).message).toMatch(
      /whitespace/,
    );
  });

  it('lets localDirectory use $VAR so $TMPDIR expands on the compute node (double-quoted)', () => {
    const script = renderJobScript('slurm', { ...base, localDirectory: '$TMPDIR/drover' });
    expect(script).toMatch(/--local-directory "\$TMPDIR\/drover"( |$)/m);
  });

  it('refuses $VAR in logDirectory: batch directives are not expanded by a shell', () => {
    const e = configError(() => resolveJob('slurm', { ...base, logDirectory: '${HOME}/logs' }));
    expect(e.field).toBe('logDirectory');
    expect(e.message).toMatch(/literal path/);
  });

  it('refuses a directive, prologue line or worker argument that spans lines', () => {
    expect(configError(() => resolveJob('slurm', { ...base, jobExtraDirectives: ['--a\n--b'] })).field).toBe(
      'jobExtraDirectives[0]',
    );
    expect(configError(() => resolveJob('slurm', { ...base, workerExtraArgs: ['x', 'y\nz'] })).field).toBe(
      'workerExtraArgs[1]',
    );
    expect(
      configError(() => resolveJob('slurm', { ...base, jobScriptPrologue: ['ok', 'bad\r'] })).field,
    ).toBe('jobScriptPrologue[1]');
  });

  it('takes prologue and epilogue as whole lines: a string is split on newlines and each line is shown', () => {
    const script = renderJobScript('slurm', {
      ...base,
      jobScriptPrologue: 'module load nodejs\nexport A="1; 2"',
      jobScriptEpilogue: ['echo done; date'],
    });
    const lines = script.split('\n');
    const cmd = lines.findIndex((l) => l.includes('--nthreads'));
    expect(lines.slice(cmd - 2, cmd)).toEqual(['module load nodejs', 'export A="1; 2"']);
    expect(lines[cmd + 1]).toBe('echo done; date');
  });

  it('quotes env values and refuses invalid variable names', () => {
    expect(renderJobScript('pbs', { ...base, env: { A: "x'; rm -rf /" } })).toContain(
      `export A='x'\\''; rm -rf /'`,
    );
    expect(configError(() => resolveJob('pbs', { ...base, env: { 'A-B': 'x' } })).field).toBe('env.A-B');
  });

  it('defaults processes as dask-jobqueue does (6→3, 8→4, 9→3, 12→4, 24→6, 36→6, 7→7)', () => {
    expect([1, 4, 6, 8, 9, 12, 24, 32, 36, 48, 7].map(defaultProcesses)).toEqual([
      1, 4, 3, 4, 3, 4, 6, 8, 6, 8, 7,
    ]);
  });

  it('gives every option a type, a help text and (where one exists) a default, as data', () => {
    for (const spec of JOB_QUEUE_OPTIONS) {
      expect(spec.help.length, spec.name).toBeGreaterThan(20);
      expect(typeof spec.type).toBe('string');
    }
    const names = JOB_QUEUE_OPTIONS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const option of ['cores', 'memory', 'walltime', 'jobDirectivesSkip', 'useStdin', 'resourceSpec']) {
      expect(names).toContain(option);
    }
  });

  it('derives threads and memory per worker from cores, memory and processes', () => {
    const job = resolveJob('slurm', { cores: 10, processes: 3, memory: '12GB' });
    expect(job.threadsPerWorker).toBe(3);
    expect(job.memoryPerWorkerBytes).toBe(4e9);
  });
});
