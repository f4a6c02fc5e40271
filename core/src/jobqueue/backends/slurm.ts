import { readFile } from 'node:fs/promises';
import { BatchParseError } from '../errors.js';
import type { JobState } from '../job-state.js';
import type { ResolvedJob } from '../resolved-job.js';
import { formatSlurmMemory } from '../../units/memory.js';
import { formatSlurmWalltime } from '../../units/walltime.js';
import type { BatchSystem, CommandResult, CommandRunner, CommandSpec } from './batch-system.js';
import { outputPathsByJobId } from './output-files.js';

// squeue fields: job id, state, reason, start time (expected start while pending), node list.
const SQUEUE_FORMAT = '%i|%T|%r|%S|%N';

/** SLURM: sbatch / squeue / scancel; final states from squeue -t all, then sacct, then the jobcomp log. */
export const slurm: BatchSystem = {
  kind: 'slurm',
  directivePrefix: '#SBATCH',

  renderDirectives(job: ResolvedJob): string[] {
    const d = [`-J ${job.name}`];
    if (job.logDirectory !== undefined) {
      d.push(`-e ${job.logDirectory}/${job.name}-%j.err`, `-o ${job.logDirectory}/${job.name}-%j.out`);
    }
    if (job.queue !== undefined) d.push(`-p ${job.queue}`);
    if (job.account !== undefined) d.push(`-A ${job.account}`);
    d.push('-n 1', '-N 1', `--cpus-per-task=${job.jobCpu ?? job.cores}`);
    d.push(`--mem=${job.jobMem ?? formatSlurmMemory(job.memoryBytes)}`);
    d.push(`-t ${formatSlurmWalltime(job.walltimeSeconds)}`);
    if (job.gpus > 0)
      d.push(job.slurmGpuDirective === 'gpus' ? `--gpus=${job.gpus}` : `--gres=gpu:${job.gpus}`);
    return d;
  },

  submitCommand: (_job, scriptPath) => ({ file: 'sbatch', args: ['--parsable', scriptPath] }),

  parseSubmitOutput(stdout: string): string {
    // --parsable prints "ID" or "ID;cluster"; plain sbatch prints "Submitted batch job ID".
    const m = /^(\d+)(?:;\S+)?\s*$/m.exec(stdout) ?? /Submitted batch job (\d+)/.exec(stdout);
    if (!m) throw new BatchParseError('sbatch printed no job id', stdout);
    return m[1]!;
  },

  statusCommand: (ids) => ({
    file: 'squeue',
    args: ['--noheader', '--states=all', `--jobs=${ids.join(',')}`, `--format=${SQUEUE_FORMAT}`],
  }),

  parseStatus(result: CommandResult): Map<string, JobState> {
    const states = new Map<string, JobState>();
    for (const line of result.stdout.split('\n')) {
      if (line.trim() === '') continue;
      const [id, state, reason, start, nodes] = line.split('|');
      if (id === undefined || state === undefined || nodes === undefined) {
        throw new BatchParseError(`squeue line is not "${SQUEUE_FORMAT}"`, line);
      }
      states.set(id.trim(), slurmState(state, reason ?? '', start ?? '', nodes));
    }
    return states;
  },

  async lookupFinished(ids: readonly string[], run: CommandRunner): Promise<Map<string, JobState>> {
    // Sites with accounting answer through sacct; without it (as on a bare slurmctld) the
    // jobcomp/filetxt log still has one line per finished job.
    const sacct = await run({
      file: 'sacct',
      args: [
        '--noheader',
        '--parsable2',
        '--allocations',
        `--jobs=${ids.join(',')}`,
        '--format=JobIDRaw,State,ExitCode,NodeList',
      ],
    });
    if (sacct.exitCode === 0 && sacct.stdout.trim() !== '') return parseSacct(sacct.stdout);
    const config = await run({ file: 'scontrol', args: ['show', 'config'] });
    const type = /^JobCompType\s*=\s*(\S+)/m.exec(config.stdout)?.[1];
    const loc = /^JobCompLoc\s*=\s*(\S+)/m.exec(config.stdout)?.[1];
    if (type !== 'jobcomp/filetxt' || !loc) return new Map();
    let text: string;
    try {
      text = await readFile(loc, 'utf8');
    } catch {
      return new Map(); // unreadable for this user: the state stays unknown
    }
    return parseJobcompLog(text, ids);
  },

  cancelCommand: (ids) => ({ file: 'scancel', args: [...ids] }),
  isAlreadyGone: (r) => /Invalid job id|already completed|Job has already finished/i.test(r.stderr),
  dryRunCommand: (_job, scriptPath): CommandSpec => ({ file: 'sbatch', args: ['--test-only', scriptPath] }),
  outputPaths: outputPathsByJobId,
};

/** Maps a SLURM job state name (squeue %T, sacct State, scontrol JobState) to a {@link JobState}. */
export function slurmState(
  stateText: string,
  reason: string,
  start: string,
  nodes: string,
  exitCode?: number,
): JobState {
  const state = stateText.trim().split(/\s+/)[0]!.toUpperCase();
  const words = reason.trim() === '' || reason === 'None' ? state : `${state} (${reason.trim()})`;
  const withExit = <T extends object>(s: T): T => (exitCode === undefined ? s : { ...s, exitCode });
  switch (state) {
    case 'PENDING':
    case 'CONFIGURING':
    case 'REQUEUED':
    case 'REQUEUE_HOLD':
    case 'REQUEUE_FED':
    case 'RESV_DEL_HOLD':
    case 'SUSPENDED':
    case 'STOPPED':
    case 'SPECIAL_EXIT': {
      const est = parseSlurmTime(start);
      return { state: 'pending', reason: reason.trim() || state, ...(est ? { estimatedStart: est } : {}) };
    }
    case 'RUNNING':
    case 'COMPLETING':
    case 'RESIZING':
    case 'SIGNALING':
    case 'STAGE_OUT': {
      const began = parseSlurmTime(start);
      return { state: 'running', node: nodes.trim(), ...(began ? { startedAt: began } : {}) };
    }
    case 'COMPLETED':
      return withExit({ state: 'finished' as const });
    case 'CANCELLED':
    case 'REVOKED':
      return { state: 'cancelled', detail: words };
    case 'TIMEOUT':
    case 'DEADLINE':
      return withExit({ state: 'failed' as const, reason: 'walltime' as const, detail: words });
    case 'OUT_OF_MEMORY':
      return withExit({ state: 'failed' as const, reason: 'out-of-memory' as const, detail: words });
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
      return withExit({ state: 'failed' as const, reason: 'node-failure' as const, detail: words });
    case 'PREEMPTED':
      return withExit({ state: 'failed' as const, reason: 'preempted' as const, detail: words });
    case 'FAILED':
      return withExit({ state: 'failed' as const, reason: 'failed' as const, detail: words });
    default:
      return { state: 'failed', reason: 'unknown', detail: `SLURM state ${words}` };
  }
}

/** SLURM prints local times without a zone (2026-11-22T15:00:41); `N/A`/`Unknown` mean none. */
function parseSlurmTime(text: string): Date | undefined {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text.trim())) return undefined;
  const d = new Date(text.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** `exit:signal` → exit code (the signal is already part of the state). */
function exitOf(text: string | undefined): number | undefined {
  const m = /^(\d+):\d+$/.exec(text?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Parses `sacct --parsable2 --format=JobIDRaw,State,ExitCode,NodeList`. */
export function parseSacct(stdout: string): Map<string, JobState> {
  const states = new Map<string, JobState>();
  for (const line of stdout.split('\n')) {
    const [id, state, exit, nodes] = line.split('|');
    if (!id || !state) continue;
    states.set(id.trim(), slurmState(state, '', '', nodes ?? '', exitOf(exit)));
  }
  return states;
}

/** Parses the `jobcomp/filetxt` log (one `Key=Value …` line per finished job) for `ids`. */
export function parseJobcompLog(text: string, ids: readonly string[]): Map<string, JobState> {
  const wanted = new Set(ids);
  const states = new Map<string, JobState>();
  for (const line of text.split('\n')) {
    const id = /^JobId=(\S+)/.exec(line)?.[1];
    if (!id || !wanted.has(id)) continue;
    const state = /\bJobState=(\S+)/.exec(line)?.[1] ?? 'UNKNOWN';
    const nodes = /\bNodeList=(\S+)/.exec(line)?.[1] ?? '';
    states.set(id, slurmState(state, '', '', nodes, exitOf(/\bExitCode=(\S+)/.exec(line)?.[1])));
  }
  return states;
}
