import { BatchParseError } from '../errors.js';
import type { JobState } from '../job-state.js';
import type { ResolvedJob } from '../resolved-job.js';
import { formatLsfMemory } from '../../units/memory.js';
import { formatLsfWalltime } from '../../units/walltime.js';
import type { BatchSystem, CommandResult } from './batch-system.js';
import { outputPathsByJobId } from './output-files.js';

/** The bjobs fields Drover reads, in order; `delimiter` keeps free-text fields parseable. */
export const BJOBS_FIELDS = [
  'jobid',
  'stat',
  'exec_host',
  'exit_code',
  'exit_reason',
  'pend_reason',
] as const;

/** LSF: bsub (script on stdin) / bjobs -o / bkill. */
export const lsf: BatchSystem = {
  kind: 'lsf',
  directivePrefix: '#BSUB',

  renderDirectives(job: ResolvedJob): string[] {
    const d = [`-J ${job.name}`];
    if (job.logDirectory !== undefined) {
      d.push(`-e ${job.logDirectory}/${job.name}-%J.err`, `-o ${job.logDirectory}/${job.name}-%J.out`);
    }
    if (job.queue !== undefined) d.push(`-q ${job.queue}`);
    if (job.account !== undefined)
      d.push(`-P ${job.account.includes(' ') ? `"${job.account}"` : job.account}`);
    const mem = formatLsfMemory(job.memoryBytes, job.lsfUnit);
    d.push(`-n ${job.cores}`);
    // One host per job; rusage[mem] is reserved per host by default (RESOURCE_RESERVE_PER_TASK=n),
    // so with span[hosts=1] it is the job's total, the same amount as -M.
    d.push(`-R "rusage[mem=${mem}] span[hosts=1]"`);
    d.push(`-M ${mem}`);
    d.push(`-W ${formatLsfWalltime(job.walltimeSeconds)}`);
    if (job.gpus > 0) d.push(`-gpu "num=${job.gpus}"`);
    return d;
  },

  submitCommand: (job, scriptPath, script) =>
    job.useStdin ? { file: 'bsub', args: [], stdin: script } : { file: 'bsub', args: [scriptPath] },

  parseSubmitOutput(stdout: string): string {
    const m = /Job <(\d+(?:\[\d+\])?)> is submitted/.exec(stdout);
    if (!m) throw new BatchParseError('bsub printed no "Job <id> is submitted" line', stdout);
    return m[1]!;
  },

  statusCommand: (ids) => ({
    file: 'bjobs',
    args: ['-noheader', '-o', `${BJOBS_FIELDS.join(' ')} delimiter='|'`, ...ids],
  }),

  parseStatus(result: CommandResult): Map<string, JobState> {
    const states = new Map<string, JobState>();
    for (const line of result.stdout.split('\n')) {
      if (line.trim() === '') continue;
      const f = line.split('|');
      if (f.length < BJOBS_FIELDS.length)
        throw new BatchParseError(`bjobs line is not "${BJOBS_FIELDS.join('|')}"`, line);
      const clean = (x: string): string => (x.trim() === '-' ? '' : x.trim());
      const [id, stat, host, exit, exitReason] = f.slice(0, 5).map(clean);
      states.set(id!, lsfState(stat!, host!, exit!, exitReason!, clean(f.slice(5).join('|'))));
    }
    return states;
  },

  // bjobs keeps DONE/EXIT jobs for CLEAN_PERIOD (1 h by default); later only bhist knows.
  lookupFinished: async () => new Map(),
  cancelCommand: (ids) => ({ file: 'bkill', args: [...ids] }),
  isAlreadyGone: (r) =>
    /is not found|No matching job found|Job has already finished/i.test(r.stderr + r.stdout),
  dryRunCommand: () => null,
  outputPaths: outputPathsByJobId,
};

/** Maps an LSF `stat` and its reasons to a {@link JobState}. */
export function lsfState(
  stat: string,
  host: string,
  exit: string,
  exitReason: string,
  pendReason: string,
): JobState {
  const exitCode = /^-?\d+$/.test(exit) ? Number(exit) : undefined;
  const withExit = exitCode === undefined ? {} : { exitCode };
  switch (stat) {
    case 'PEND':
    case 'PSUSP':
    case 'WAIT':
    case 'PROV':
      return { state: 'pending', reason: pendReason || stat };
    case 'RUN':
    case 'USUSP':
    case 'SSUSP':
      return { state: 'running', node: host.split(':')[0]!.replace(/^\d+\*/, '') };
    case 'DONE':
      return { state: 'finished', exitCode: 0 };
    case 'EXIT': {
      const detail = exitReason || `exit code ${exit || 'unknown'}`;
      if (/TERM_RUNLIMIT|TERM_DEADLINE|run ?time limit/i.test(exitReason))
        return { state: 'failed', reason: 'walltime', detail, ...withExit };
      if (/TERM_MEMLIMIT|TERM_SWAP|memory limit/i.test(exitReason))
        return { state: 'failed', reason: 'out-of-memory', detail, ...withExit };
      if (
        /TERM_OWNER|TERM_ADMIN|TERM_FORCE_OWNER|TERM_FORCE_ADMIN|killed by owner|killed by .*admin/i.test(
          exitReason,
        )
      ) {
        return { state: 'cancelled', detail };
      }
      if (/TERM_PREEMPT/i.test(exitReason))
        return { state: 'failed', reason: 'preempted', detail, ...withExit };
      if (/TERM_LOAD|TERM_HOST|TERM_ZOMBIE|host/i.test(exitReason))
        return { state: 'failed', reason: 'node-failure', detail, ...withExit };
      return { state: 'failed', reason: 'failed', detail, ...withExit };
    }
    case 'UNKWN':
    case 'ZOMBI':
      return { state: 'failed', reason: 'node-failure', detail: `LSF status ${stat}` };
    default:
      return { state: 'failed', reason: 'unknown', detail: `LSF status ${stat}` };
  }
}
