// One suite, run against every batch system (SLURM, PBS, LSF, SGE): what each must do the same way.
import { describe, expect, it } from 'vitest';
import {
  BatchParseError,
  jobsForScale,
  JobQueueConfigError,
  prepareJobScript,
  resolveJob,
  type BatchCommand as CommandSpec,
} from '@drover/core';
import { CASES, COMMON } from './conformance-cases.js';

describe.each(CASES)('$kind conformance', (c) => {
  const job = resolveJob(c.kind, COMMON);

  it('renders the directives for the representative parameters, in order', () => {
    expect(c.system.renderDirectives(job)).toEqual(c.directives);
  });

  it('writes each directive with its prefix into the script, before the first command', () => {
    const { script, directives } = prepareJobScript(c.kind, COMMON, { system: c.system });
    expect(directives).toEqual(c.directives.map((d) => `${c.system.directivePrefix} ${d}`));
    const lines = script.split('\n');
    const firstCommand = lines.findIndex((l, i) => i > 0 && l.trim() !== '' && !l.startsWith('#'));
    for (const d of directives) expect(lines.indexOf(d)).toBeGreaterThan(0);
    for (const d of directives) expect(lines.indexOf(d)).toBeLessThan(firstCommand);
  });

  it('skips whole directives or their option, never substrings, and appends extras after', () => {
    const first = c.directives[1]!;
    const option = first.split(/[ =]/)[0]!;
    const { directives } = prepareJobScript(
      c.kind,
      { ...COMMON, jobDirectivesSkip: [option, '-t', '--cpus', 'mem'], jobExtraDirectives: ['--extra-flag'] },
      { system: c.system },
    );
    const rendered = directives.map((d) => d.slice(c.system.directivePrefix.length + 1));
    const expected = c.directives.filter(
      (d) => !(d === option || d.startsWith(`${option} `) || d.startsWith(`${option}=`)),
    );
    expect(rendered).toEqual([...expected.filter((d) => !/^-t[ =]/.test(d)), '--extra-flag']);
  });

  it('puts walltime and memory in the units the system reads', () => {
    const text = c.directives.join('\n');
    const walltime = {
      slurm: '-t 01:30:00',
      pbs: 'walltime=01:30:00',
      lsf: '-W 01:30',
      sge: 'h_rt=01:30:00',
    }[c.kind];
    const memory = { slurm: '--mem=15G', pbs: 'mem=15GB', lsf: '-M 15625000', sge: 'mem_free=15G' }[c.kind];
    expect(text).toContain(walltime);
    expect(text).toContain(memory);
    const twoDays = c.system
      .renderDirectives(resolveJob(c.kind, { ...COMMON, walltime: '2-00:00:00' }))
      .join('\n');
    expect(twoDays).toContain(
      { slurm: '-t 2-00:00:00', pbs: 'walltime=48:00:00', lsf: '-W 48:00', sge: 'h_rt=48:00:00' }[c.kind],
    );
  });

  it('parses the job id from the submit output, and refuses output without one', () => {
    expect(c.system.parseSubmitOutput(c.submit.stdout)).toBe(c.submit.id);
    expect(() => c.system.parseSubmitOutput('error: something else\n')).toThrow(BatchParseError);
  });

  it('polls all jobs with one command naming every id (or all jobs)', () => {
    const spec: CommandSpec = c.system.statusCommand(['101', '102', '103']);
    const text = spec.args.join(' ');
    if (c.kind !== 'sge') for (const id of ['101', '102', '103']) expect(text).toContain(id);
    expect(spec.file).toBe({ slurm: 'squeue', pbs: 'qstat', lsf: 'bjobs', sge: 'qstat' }[c.kind]);
  });

  it.each(c.status)('maps real output to common states: $name', ({ result, expect: wanted }) => {
    const states = c.system.parseStatus(result);
    for (const [id, fields] of Object.entries(wanted)) {
      expect(states.get(id), `job ${id}`).toMatchObject(fields!);
    }
  });

  it('refuses status output it does not understand', () => {
    expect(() => c.system.parseStatus({ stdout: 'garbage|\n', stderr: '', exitCode: 0 })).toThrow(
      BatchParseError,
    );
  });

  it('cancels with one command for all ids and knows "already gone" from a real failure', () => {
    expect(c.system.cancelCommand(['1', '2'])).toEqual({ file: c.cancel.file, args: c.cancel.args });
    expect(c.system.isAlreadyGone(c.unknownJob)).toBe(true);
    expect(c.system.isAlreadyGone({ stdout: '', stderr: 'Permission denied', exitCode: 1 })).toBe(false);
  });

  it('turns a scale request into jobs as dask-jobqueue does (cores 8, processes 2, 16GB)', () => {
    const shape = { processes: job.processes, cores: job.cores, memoryBytes: job.memoryBytes };
    expect(jobsForScale(3, shape)).toBe(2);
    expect(jobsForScale({ jobs: 5 }, shape)).toBe(5);
    expect(jobsForScale({ workers: 4 }, shape)).toBe(2);
    expect(jobsForScale({ cores: 20 }, shape)).toBe(3);
    expect(jobsForScale({ memory: '40GB' }, shape)).toBe(3);
    expect(jobsForScale({ workers: 1, cores: 20 }, shape)).toBe(3);
    expect(jobsForScale(0, shape)).toBe(0);
    expect(() => jobsForScale({ jobs: -1 }, shape)).toThrow(JobQueueConfigError);
    expect(() => jobsForScale({}, shape)).toThrow(/scale/);
  });

  it('refuses shell injection in the queue and names the field', () => {
    expect(() => prepareJobScript(c.kind, { ...COMMON, queue: 'q; rm -rf ~' }, { system: c.system })).toThrow(
      /^queue: /,
    );
  });

  it('derives per-worker threads and memory limit into the worker command', () => {
    const { workerCommand } = prepareJobScript(c.kind, COMMON, { system: c.system });
    expect(workerCommand).toContain('--nthreads 4 --nworkers 2 --memory-limit 8000000000');
    expect(workerCommand).toContain('--resources gpus=1');
  });
});
