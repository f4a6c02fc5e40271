// Per-backend expectations for the conformance suite. Every status output is a real capture from
// test/fixtures/captured (see capture-slurm-pbs-lsf.sh): ids 12 ok (exit 0), 13 bad (exit 3),
// 14 long (hit its 1-minute limit), 15 can (cancelled while running), 16 pend (cancelled while pending).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  lsf,
  pbsBatchSystem,
  sge,
  slurm,
  type BatchKind,
  type BatchSystem,
  type BatchCommandResult as CommandResult,
  type JobState,
} from '@drover/core';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'captured');
export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
export const ok = (stdout: string, stderr = '', exitCode = 0): CommandResult => ({
  stdout,
  stderr,
  exitCode,
});

/** The representative parameter set every backend renders. */
export const COMMON = {
  cores: 8,
  processes: 2,
  memory: '16GB',
  walltime: '01:30:00',
  queue: 'regular',
  account: 'proj1',
  gpus: 2,
  logDirectory: '/shared/logs',
  lsfUnitsForLimits: 'KB',
};

type Expect = Partial<
  Record<string, Partial<Record<keyof JobState | 'reason' | 'node' | 'exitCode', unknown>>>
>;

export interface BackendCase {
  readonly kind: BatchKind;
  readonly system: BatchSystem;
  readonly directives: readonly string[];
  readonly submit: { readonly stdout: string; readonly id: string };
  readonly cancel: { readonly file: string; readonly args: readonly string[] };
  readonly status: readonly {
    readonly name: string;
    readonly result: CommandResult;
    readonly expect: Expect;
  }[];
  readonly unknownJob: CommandResult;
}

export const CASES: readonly BackendCase[] = [
  {
    kind: 'slurm',
    system: slurm,
    directives: [
      '-J drover-worker',
      '-e /shared/logs/drover-worker-%j.err',
      '-o /shared/logs/drover-worker-%j.out',
      '-p regular',
      '-A proj1',
      '-n 1',
      '-N 1',
      '--cpus-per-task=8',
      '--mem=15G',
      '-t 01:30:00',
      '--gres=gpu:2',
    ],
    submit: { stdout: '4711\n', id: '4711' },
    cancel: { file: 'scancel', args: ['1', '2'] },
    status: [
      {
        name: 'squeue while running/pending',
        result: ok(fixture('squeue-pending-running.txt')),
        expect: {
          '12': { state: 'running', node: 'vm' },
          '14': { state: 'pending', reason: 'Resources' },
          '16': { state: 'pending', reason: 'Priority' },
        },
      },
      {
        name: 'squeue -t all after the end',
        result: ok(fixture('squeue-finished.txt')),
        expect: {
          '12': { state: 'finished' },
          '13': { state: 'failed', reason: 'failed' },
          '14': { state: 'failed', reason: 'walltime' },
          '15': { state: 'cancelled' },
          '16': { state: 'cancelled' },
        },
      },
    ],
    unknownJob: ok('', fixture('squeue-unknown-job.stderr'), 1),
  },
  {
    kind: 'pbs',
    system: pbsBatchSystem('torque'),
    directives: [
      '-N drover-worker',
      '-q regular',
      '-A proj1',
      // Torque's dialect (the recorded outputs are Torque's): nodes/ppn and a job-wide mem.
      '-l nodes=1:ppn=8:gpus=2',
      '-l mem=15GB',
      '-l walltime=01:30:00',
      '-e /shared/logs/',
      '-o /shared/logs/',
    ],
    submit: { stdout: '4711.pbs-server\n', id: '4711.pbs-server' },
    cancel: { file: 'qdel', args: ['1', '2'] },
    status: [
      {
        name: 'Torque qstat -f while running/pending',
        result: ok(fixture('torque-qstat-f-pending-running.txt')),
        expect: { '12': { state: 'running', node: 'vm' }, '14': { state: 'pending', reason: 'queued' } },
      },
      {
        // The wrappers report C without an exit status: the end is known, its cause is not.
        name: 'Torque qstat -f after the end',
        result: ok(fixture('torque-qstat-f-finished.txt')),
        expect: { '12': { state: 'finished' }, '14': { state: 'finished' }, '16': { state: 'finished' } },
      },
    ],
    unknownJob: ok('', fixture('torque-qstat-unknown-job.stderr'), 153),
  },
  {
    kind: 'lsf',
    system: lsf,
    directives: [
      '-J drover-worker',
      '-e /shared/logs/drover-worker-%J.err',
      '-o /shared/logs/drover-worker-%J.out',
      '-q regular',
      '-P proj1',
      '-n 8',
      '-R "rusage[mem=15625000] span[hosts=1]"',
      '-M 15625000',
      '-W 01:30',
      '-gpu "num=2"',
    ],
    submit: { stdout: 'Job <4711> is submitted to queue <regular>.\n', id: '4711' },
    cancel: { file: 'bkill', args: ['1', '2'] },
    status: [
      {
        name: 'bjobs -o while running/pending',
        result: ok(fixture('lsf-shim-bjobs-pending-running.txt')),
        expect: { '12': { state: 'running', node: 'vm' }, '14': { state: 'pending', reason: 'Resources' } },
      },
      {
        name: 'bjobs -o after the end',
        result: ok(fixture('lsf-shim-bjobs-finished.txt')),
        expect: {
          '12': { state: 'finished' },
          '13': { state: 'failed', reason: 'failed', exitCode: 3 },
          '14': { state: 'failed', reason: 'walltime' },
          '15': { state: 'cancelled' },
        },
      },
    ],
    unknownJob: ok('', 'Job <999999> is not found\n', 255),
  },
  {
    kind: 'sge',
    system: sge,
    directives: [
      '-N drover-worker',
      '-q regular',
      '-P proj1',
      '-pe smp 8',
      '-l h_rt=01:30:00',
      '-l mem_free=15G,gpu=2',
      '-S /bin/bash',
      '-cwd',
      '-e /shared/logs/drover-worker-$JOB_ID.err',
      '-o /shared/logs/drover-worker-$JOB_ID.out',
    ],
    submit: { stdout: '4711\n', id: '4711' },
    cancel: { file: 'qdel', args: ['1', '2'] },
    status: [
      {
        name: 'qstat -xml with running and waiting jobs',
        result: ok(fixture('sge-qstat-xml.xml')),
        expect: {
          '1': { state: 'running', node: 'vm' },
          '3': { state: 'running', node: 'vm' },
          '4': { state: 'pending' },
        },
      },
    ],
    unknownJob: ok(fixture('sge-qdel-unknown-job.stdout'), fixture('sge-qdel-unknown-job.stderr'), 1),
  },
];
