import { BatchParseError } from '../errors.js';
import type { JobState } from '../job-state.js';
import type { ResolvedJob } from '../resolved-job.js';
import { formatPbsMemory } from '../../units/memory.js';
import { formatHms } from '../../units/walltime.js';
import type { BatchSystem, CommandResult, CommandSpec } from './batch-system.js';
import { outputFilesIn } from './output-files.js';

/**
 * Which PBS: PBS Pro / OpenPBS (`select=` chunks; `qstat -x` shows finished jobs) or Torque
 * (`nodes=1:ppn=`; keeps finished jobs as `C`).
 */
export type PbsFlavor = 'pbspro' | 'torque';

/**
 * The resource request of one job, in the flavour's syntax:
 * - PBS Pro / OpenPBS (PBS Professional Reference Guide, "Resources"; qsub(1B)): one chunk,
 *   `select=1:ncpus=N:ngpus=G:mem=M`;
 * - Torque (Torque Administrator Guide, "Requesting resources", nodes and gpus): `nodes=1:ppn=N:gpus=G`
 *   and a separate job-wide `mem=M`.
 */
export function pbsResourceRequest(job: ResolvedJob, flavor: PbsFlavor): string[] {
  if (job.resourceSpec !== undefined) return [`-l ${job.resourceSpec}`];
  const mem = formatPbsMemory(job.memoryBytes);
  if (flavor === 'torque') {
    const gpus = job.gpus > 0 ? `:gpus=${job.gpus}` : '';
    return [`-l nodes=1:ppn=${job.cores}${gpus}`, `-l mem=${mem}`];
  }
  const gpus = job.gpus > 0 ? `:ngpus=${job.gpus}` : '';
  return [`-l select=1:ncpus=${job.cores}${gpus}:mem=${mem}`];
}

/**
 * The flavour from what `qstat --version` printed: PBS Pro / OpenPBS say `pbs_version = 2022.1.1`,
 * Torque says `Version: 6.1.3`, and Slurm's Torque wrappers (slurm-wlm-torque) do not know the
 * option and print their Torque usage. Null when none of these.
 */
export function pbsFlavorFromVersion(output: string): PbsFlavor | null {
  if (/pbs_version\s*=/.test(output)) return 'pbspro';
  if (/^\s*Version:\s*\d/m.test(output)) return 'torque';
  if (/Unknown option: version/.test(output) && /qstat \[-f\]/.test(output)) return 'torque';
  return null;
}

/**
 * PBS: qsub / qstat -f / qdel. One `qstat -f` lists every tracked job; PBS Pro needs `-x` to keep
 * showing jobs that have finished.
 */
export function pbsBatchSystem(flavor: PbsFlavor = 'pbspro'): BatchSystem {
  return {
    kind: 'pbs',
    directivePrefix: '#PBS',
    renderDirectives(job: ResolvedJob): string[] {
      const d = [`-N ${job.name}`];
      if (job.queue !== undefined) d.push(`-q ${job.queue}`);
      if (job.account !== undefined) d.push(`-A ${job.account}`);
      d.push(...pbsResourceRequest(job, flavor));
      d.push(`-l walltime=${formatHms(job.walltimeSeconds)}`);
      // A directory ending in "/" makes PBS name the files <job name>.o<sequence number>.
      if (job.logDirectory !== undefined) d.push(`-e ${job.logDirectory}/`, `-o ${job.logDirectory}/`);
      return d;
    },
    submitCommand: (_job, scriptPath) => ({ file: 'qsub', args: [scriptPath] }),
    parseSubmitOutput(stdout: string): string {
      const m = /^\s*(\d+(?:\[\])?(?:\.[A-Za-z0-9_.-]+)?)\s*$/m.exec(stdout);
      if (!m) throw new BatchParseError('qsub printed no job id', stdout);
      return m[1]!;
    },
    statusCommand: (ids): CommandSpec => ({
      file: 'qstat',
      args: flavor === 'pbspro' ? ['-x', '-f', ...ids] : ['-f', ...ids],
    }),
    parseStatus: (result: CommandResult) => parseQstatFull(result.stdout),
    // qstat already shows finished jobs (Torque `C`, OpenPBS `-x`); after that nothing is kept.
    lookupFinished: async () => new Map(),
    cancelCommand: (ids) => ({ file: 'qdel', args: [...ids] }),
    // qstat/qdel exit 153 (PBSE_UNKJOBID) for unknown jobs; Torque's wrappers print nothing then.
    isAlreadyGone: (r) =>
      r.exitCode === 153 ||
      /Unknown Job Id|does not exist|Job has finished|invalid state for job - COMPLETE|Invalid job id/i.test(
        r.stderr + r.stdout,
      ),
    dryRunCommand: () => null,
    // PBS names output `<name>.o<number>`, without the server part of the id.
    outputPaths: (job, id) => outputFilesIn(job, `.o${id.split('.')[0]}`, `.e${id.split('.')[0]}`),
  };
}

/** PBS Pro / OpenPBS (the default flavour). */
export const pbs: BatchSystem = pbsBatchSystem('pbspro');

/** Splits `qstat -f` output into one attribute map per job (continuation lines are joined). */
export function parseQstatFullBlocks(stdout: string): Map<string, Map<string, string>> {
  const jobs = new Map<string, Map<string, string>>();
  let attrs: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const raw of stdout.split('\n')) {
    const head = /^Job Id:\s*(\S+)/.exec(raw);
    if (head) {
      attrs = new Map();
      jobs.set(head[1]!, attrs);
      lastKey = undefined;
      continue;
    }
    if (!attrs || raw.trim() === '') continue;
    const kv = /^\s+([A-Za-z_][\w.]*)\s=\s?(.*)$/.exec(raw);
    if (kv) {
      lastKey = kv[1]!;
      attrs.set(lastKey, kv[2]!.trim());
    } else if (lastKey !== undefined) {
      attrs.set(lastKey, attrs.get(lastKey)! + raw.trim()); // PBS wraps long values onto tab-indented lines
    }
  }
  return jobs;
}

/** Maps `qstat -f` (Torque or PBS Pro) to job states. */
export function parseQstatFull(stdout: string): Map<string, JobState> {
  const states = new Map<string, JobState>();
  const blocks = parseQstatFullBlocks(stdout);
  if (blocks.size === 0 && stdout.trim() !== '')
    throw new BatchParseError('qstat -f printed no "Job Id:" block', stdout);
  for (const [id, a] of blocks) {
    const code = a.get('job_state');
    if (code === undefined) throw new BatchParseError(`qstat -f gave no job_state for job ${id}`, stdout);
    states.set(id, pbsState(code, a));
  }
  return states;
}

const PENDING_WORDS: Readonly<Record<string, string>> = {
  Q: 'queued',
  H: 'held',
  W: 'waiting for its start time',
  T: 'being moved',
  S: 'suspended',
  U: 'suspended (workstation busy)',
  M: 'moved to another server',
  B: 'array job begun',
};

function pbsState(code: string, a: Map<string, string>): JobState {
  const node = (a.get('exec_host') ?? '').split(/[/+]/)[0] ?? '';
  if (code === 'R' || code === 'E') return { state: 'running', node };
  if (code in PENDING_WORDS) {
    const comment = a.get('comment');
    const est = parsePbsTime(a.get('estimated.start_time'));
    return {
      state: 'pending',
      reason: comment ?? PENDING_WORDS[code]!,
      ...(est ? { estimatedStart: est } : {}),
    };
  }
  if (code !== 'C' && code !== 'F' && code !== 'X') {
    return { state: 'failed', reason: 'unknown', detail: `PBS job_state ${code}` };
  }
  const exitText = a.get('Exit_status') ?? a.get('exit_status');
  if (exitText === undefined) return { state: 'finished' }; // Torque wrappers and old servers omit it
  return pbsExit(Number(exitText), a.get('comment') ?? `Exit_status ${exitText}`);
}

/**
 * PBS exit status: negative values are the server's JOB_EXEC_* codes, values above 256 mean the job
 * was killed by signal (status − 256); qdel sends SIGTERM then SIGKILL.
 */
export function pbsExit(status: number, detail: string): JobState {
  if (status === 0) return { state: 'finished', exitCode: 0 };
  if (status === -29 || status === -11)
    return { state: 'failed', reason: 'walltime', detail, exitCode: status };
  if (status === -27 || status === -24)
    return { state: 'failed', reason: 'out-of-memory', detail, exitCode: status };
  if (status === 271 || status === 265) return { state: 'cancelled', detail };
  if (status === -3 || status === -4 || status === -8)
    return { state: 'failed', reason: 'node-failure', detail, exitCode: status };
  return { state: 'failed', reason: 'failed', detail, exitCode: status };
}

function parsePbsTime(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const d = new Date(text.replace(/^\w{3} /, '')); // "Sun Nov 22 15:00:40 2026"
  return Number.isNaN(d.getTime()) ? undefined : d;
}
