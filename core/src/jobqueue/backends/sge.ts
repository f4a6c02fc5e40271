import { BatchParseError } from '../errors.js';
import type { JobState } from '../job-state.js';
import type { ResolvedJob } from '../resolved-job.js';
import { formatSgeMemory } from '../../units/memory.js';
import { formatHms } from '../../units/walltime.js';
import type { BatchSystem, CommandResult, CommandRunner } from './batch-system.js';
import { outputPathsByJobId } from './output-files.js';

/** Grid Engine (SGE, SoGE, UGE/AGE): qsub -terse / qstat -xml / qdel; final states from qacct. */
export const sge: BatchSystem = {
  kind: 'sge',
  directivePrefix: '#$',

  renderDirectives(job: ResolvedJob): string[] {
    const d = [`-N ${job.name}`];
    if (job.queue !== undefined) d.push(`-q ${job.queue}`);
    if (job.account !== undefined) d.push(`-P ${job.account}`);
    if (job.parallelEnvironment !== '') d.push(`-pe ${job.parallelEnvironment} ${job.cores}`);
    d.push(`-l h_rt=${formatHms(job.walltimeSeconds)}`);
    const resources = job.resourceSpec ?? sgeResourceList(job);
    if (resources !== '') d.push(`-l ${resources}`);
    // Grid Engine ignores the shebang unless the queue says otherwise: name the shell.
    d.push(`-S ${job.sgeShell}`, '-cwd');
    if (job.logDirectory !== undefined) {
      // $JOB_ID is one of the pseudo variables qsub expands in -o/-e paths.
      d.push(
        `-e ${job.logDirectory}/${job.name}-$JOB_ID.err`,
        `-o ${job.logDirectory}/${job.name}-$JOB_ID.out`,
      );
    }
    return d;
  },

  submitCommand: (_job, scriptPath) => ({ file: 'qsub', args: ['-terse', scriptPath] }),

  parseSubmitOutput(stdout: string): string {
    const m = /^\s*(\d+)(?:\.\S+)?\s*$/m.exec(stdout) ?? /Your job (\d+) /.exec(stdout);
    if (!m) throw new BatchParseError('qsub printed no job id', stdout);
    return m[1]!;
  },

  // -xml lists every job in one call; why pending ones wait comes from one qstat -j for them all.
  statusCommand: () => ({ file: 'qstat', args: ['-xml'] }),

  pendingReasons: {
    command: (ids) => ({ file: 'qstat', args: ['-j', ids.join(',')] }),
    parse: parseSchedulingInfo,
  },

  parseStatus(result: CommandResult): Map<string, JobState> {
    if (!/<job_info/.test(result.stdout))
      throw new BatchParseError('qstat -xml printed no <job_info>', result.stdout);
    const states = new Map<string, JobState>();
    for (const block of result.stdout.matchAll(/<job_list[^>]*>([\s\S]*?)<\/job_list>/g)) {
      const tag = (name: string): string =>
        new RegExp(`<${name}>([^<]*)</${name}>`).exec(block[1]!)?.[1]?.trim() ?? '';
      const id = tag('JB_job_number');
      if (id === '') throw new BatchParseError('qstat -xml job without JB_job_number', block[0]);
      states.set(id, sgeState(tag('state'), tag('queue_name'), tag('JAT_start_time')));
    }
    return states;
  },

  async lookupFinished(ids: readonly string[], run: CommandRunner): Promise<Map<string, JobState>> {
    // qacct takes one job per call; this runs once per job, when it leaves qstat.
    const states = new Map<string, JobState>();
    for (const id of ids) {
      const r = await run({ file: 'qacct', args: ['-j', id] });
      if (r.exitCode === 0) {
        const s = parseQacct(r.stdout);
        if (s) states.set(id, s);
      }
    }
    return states;
  },

  cancelCommand: (ids) => ({ file: 'qdel', args: [...ids] }),
  isAlreadyGone: (r) => /does not exist|not found/i.test(r.stderr + r.stdout),
  // -w p checks the request against the cluster as it is now, without queueing the job.
  dryRunCommand: (_job, scriptPath) => ({ file: 'qsub', args: ['-w', 'p', scriptPath] }),
  outputPaths: outputPathsByJobId,
};

/** Memory and GPU requests; h_/s_ limits are per slot, so they get memory / cores. */
function sgeResourceList(job: ResolvedJob): string {
  const parts: string[] = [];
  if (job.sgeMemoryResource !== '') {
    const perSlot = /^[hs]_/.test(job.sgeMemoryResource) && job.parallelEnvironment !== '';
    const bytes = perSlot ? Math.ceil(job.memoryBytes / job.cores) : job.memoryBytes;
    parts.push(`${job.sgeMemoryResource}=${formatSgeMemory(bytes)}`);
  }
  if (job.gpus > 0) parts.push(`${job.sgeGpuResource}=${job.gpus}`);
  return parts.join(',');
}

/** Maps a qstat state code (`qw`, `hqw`, `r`, `dr`, `Eqw`, …) to a {@link JobState}. */
export function sgeState(code: string, queue: string, start: string): JobState {
  if (code.includes('E'))
    return { state: 'pending', reason: `error state ${code}: see qstat -j for why, qmod -cj to retry` };
  if (code.includes('h')) return { state: 'pending', reason: `on hold (${code})` };
  if (code.includes('q') || code.includes('w')) return { state: 'pending', reason: `queued (${code})` };
  if (/[rtRsSTd]/.test(code)) {
    const started = /^\d{4}-\d\d-\d\dT/.test(start) ? new Date(start) : undefined;
    return {
      state: 'running',
      node: queue.split('@')[1] ?? queue,
      ...(started ? { startedAt: started } : {}),
    };
  }
  return { state: 'failed', reason: 'unknown', detail: `SGE state ${code}` };
}

/** Reads `qacct -j ID`: `failed` (the execd's verdict) and `exit_status`. */
export function parseQacct(stdout: string): JobState | undefined {
  const failedLine = /^failed\s+(\d+)\s*(?::\s*(.*))?$/m.exec(stdout);
  const exitLine = /^exit_status\s+(\d+)/m.exec(stdout);
  if (!failedLine || !exitLine) return undefined;
  const failed = Number(failedLine[1]);
  const why = failedLine[2]?.trim() ?? '';
  const exitCode = Number(exitLine[1]);
  const detail = `failed ${failed}${why ? ` (${why})` : ''}, exit_status ${exitCode}`;
  if (failed === 37 || exitCode === 152) return { state: 'failed', reason: 'walltime', detail, exitCode };
  // qdel kills with SIGKILL; SGE then records "assumedly after job" with exit status 137.
  if (failed === 100 && exitCode === 137) return { state: 'cancelled', detail };
  if (failed === 0 && exitCode === 0) return { state: 'finished', exitCode: 0 };
  return { state: 'failed', reason: failed === 0 ? 'failed' : 'unknown', detail, exitCode };
}

/**
 * The "scheduling info" of each job in `qstat -j` output (blocks that start with job_number:),
 * continuation lines joined. Nothing for a job when the scheduler collects no such information
 * (schedd_job_info false), which it says in parentheses.
 */
export function parseSchedulingInfo(result: CommandResult): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const block of result.stdout.split(/^=+\s*$/m)) {
    const id = /^job_number:\s*(\d+)/m.exec(block)?.[1];
    const info = /^scheduling info:[ \t]*(.*(?:\n[ \t]+\S.*)*)/m.exec(block)?.[1];
    if (!id || !info) continue;
    const text = info
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join('; ');
    if (text !== '' && !/^\(.*\)$/.test(text)) reasons.set(id, text);
  }
  return reasons;
}
