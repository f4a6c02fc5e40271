import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchSystem, CommandRunner, CommandSpec } from './backends/batch-system.js';
import { BatchCommandError } from './errors.js';
import type { JobState } from './job-state.js';
import type { ResolvedJob } from './resolved-job.js';
import { describeCommand } from './run-command.js';

/** Result of a dry run: whether the batch system would take the script, in its own words. */
export interface DryRunResult {
  readonly accepted: boolean;
  /** The batch system's message, or a note that it has no dry run. */
  readonly message: string;
  /** The command that was run, or null when the system has no dry run. */
  readonly command: string | null;
}

/**
 * Submits a script and returns the job id. The script is written to a private temporary file for
 * commands that read a file (they copy it at submit time) and removed afterwards.
 *
 * @throws BatchCommandError with the batch system's message, the command and its exit code.
 */
export async function submitJob(
  system: BatchSystem,
  job: ResolvedJob,
  script: string,
  run: CommandRunner,
): Promise<string> {
  return withScriptFile(script, async (path) => {
    const spec = system.submitCommand(job, path, script);
    const result = await run(spec);
    if (result.exitCode !== 0) {
      throw new BatchCommandError(`${system.kind} refused the job`, {
        ...result,
        command: result.command ?? describeCommand(spec),
      });
    }
    return system.parseSubmitOutput(result.stdout);
  });
}

/**
 * States of `jobIds` from one status command; jobs it no longer lists are looked up in the
 * system's history (sacct, jobcomp, qacct). Jobs found nowhere are absent from the map.
 */
export async function pollJobs(
  system: BatchSystem,
  jobIds: readonly string[],
  run: CommandRunner,
): Promise<Map<string, JobState>> {
  if (jobIds.length === 0) return new Map();
  const spec = system.statusCommand(jobIds);
  const result = await run(spec);
  // squeue, qstat and bjobs exit non-zero when some ids are unknown but still list the others.
  if (result.exitCode !== 0 && result.stdout.trim() === '' && !system.isAlreadyGone(result)) {
    throw new BatchCommandError(`${system.kind} status query failed`, {
      ...result,
      command: result.command ?? describeCommand(spec),
    });
  }
  const all = system.parseStatus(result);
  const states = new Map<string, JobState>();
  for (const id of jobIds) {
    const s = all.get(id);
    if (s) states.set(id, s);
  }
  const missing = jobIds.filter((id) => !states.has(id));
  if (missing.length > 0) for (const [id, s] of await system.lookupFinished(missing, run)) states.set(id, s);
  await explainPending(system, states, run);
  return states;
}

/**
 * Replaces the state codes of pending jobs by the scheduler's own reason where the system has a
 * separate command for it. A failure there only leaves the codes: the states are still right.
 */
async function explainPending(
  system: BatchSystem,
  states: Map<string, JobState>,
  run: CommandRunner,
): Promise<void> {
  const pending = [...states].filter(([, s]) => s.state === 'pending').map(([id]) => id);
  if (!system.pendingReasons || pending.length === 0) return;
  const result = await run(system.pendingReasons.command(pending)).catch(() => null);
  if (!result || result.exitCode !== 0) return;
  for (const [id, reason] of system.pendingReasons.parse(result)) {
    const state = states.get(id);
    if (state?.state === 'pending') states.set(id, { ...state, reason: `${reason} (${state.reason})` });
  }
}

/**
 * Cancels jobs; jobs that are already gone are not an error.
 *
 * @throws BatchCommandError when the batch system refuses for another reason.
 */
export async function cancelJobs(
  system: BatchSystem,
  jobIds: readonly string[],
  run: CommandRunner,
): Promise<void> {
  if (jobIds.length === 0) return;
  const spec = system.cancelCommand(jobIds);
  const result = await run(spec);
  if (result.exitCode !== 0 && !system.isAlreadyGone(result)) {
    throw new BatchCommandError(`${system.kind} could not cancel ${jobIds.join(', ')}`, {
      ...result,
      command: result.command ?? describeCommand(spec),
    });
  }
}

/** Asks the batch system whether it would accept the script, without queueing it. */
export async function dryRunJob(
  system: BatchSystem,
  job: ResolvedJob,
  script: string,
  run: CommandRunner,
): Promise<DryRunResult> {
  return withScriptFile(script, async (path) => {
    const spec: CommandSpec | null = system.dryRunCommand(job, path, script);
    if (spec === null) {
      return {
        accepted: true,
        message: `${system.kind} has no dry-run command; the options passed Drover's own checks`,
        command: null,
      };
    }
    const result = await run(spec);
    const message = (result.stderr.trim() + '\n' + result.stdout.trim()).trim();
    return { accepted: result.exitCode === 0, message, command: result.command ?? describeCommand(spec) };
  });
}

async function withScriptFile<T>(script: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-job-'));
  try {
    const path = join(dir, 'job.sh');
    await writeFile(path, script, { mode: 0o600 });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
