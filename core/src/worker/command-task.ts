import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

import {
  checkPlacement,
  formatArgv,
  launchArgv,
  launchEnv,
  type CommandPlacement,
} from './command-launch.js';
import { DEFAULT_TAIL_BYTES, validateCommandSpec, type CommandSpec } from './command-spec.js';
import { stopProcessGroup, trackProcessGroup } from './process-group.js';
import { TailBuffer } from './tail-buffer.js';

export { CommandSpecError, validateCommandSpec, type CommandSpec } from './command-spec.js';
export type { CommandPlacement } from './command-launch.js';

/** What a command task that exited with code 0 returns. */
export interface CommandResult {
  /** Always 0; failures reject with {@link CommandError}. */
  exitCode: number;
  /** The last `tailBytes` of stdout, as UTF-8. */
  stdoutTail: string;
  /** The last `tailBytes` of stderr, as UTF-8. */
  stderrTail: string;
  /** From spawn to the end of the command's process group, in ms. */
  durationMs: number;
}

/** Why a command task failed. */
export type CommandFailure = 'exit' | 'signal' | 'timeout' | 'cancelled' | 'spawn';

/** A command task that did not exit with code 0; the message says what happened and what to do. */
export class CommandError extends Error {
  /** `exit`: non-zero exit code; `signal`: killed by a signal it was not sent by Drover; `timeout` and
   * `cancelled`: stopped by Drover; `spawn`: never started. */
  readonly reason: CommandFailure;
  /** The exit code, or null when it was killed by a signal or never started. */
  readonly exitCode: number | null;
  /** The signal that ended it, e.g. `SIGSEGV`, or null. */
  readonly signal: string | null;
  readonly stdoutTail: string;
  readonly stderrTail: string;
  /** The argv that was spawned (launcher included). */
  readonly argv: string[];

  constructor(
    message: string,
    fields: Pick<CommandError, 'reason' | 'exitCode' | 'signal' | 'stdoutTail' | 'stderrTail' | 'argv'>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CommandError';
    this.reason = fields.reason;
    this.exitCode = fields.exitCode;
    this.signal = fields.signal;
    this.stdoutTail = fields.stdoutTail;
    this.stderrTail = fields.stderrTail;
    this.argv = fields.argv;
  }
}

/**
 * Runs a command task as a child process in its own process group and resolves when it and everything
 * it started have ended.
 *
 * @param spec - What to run; validated again here, so a spec decoded from a message is safe to pass.
 * @param placement - Cores and GPUs the scheduler reserved; see `launchEnv` for how they reach the
 *   command (`OMP_NUM_THREADS`, `CUDA_VISIBLE_DEVICES`, the launcher template).
 * @param signal - Aborting it stops the command and rejects with reason `cancelled`.
 * @returns The exit code 0, output tails and duration; rejects with {@link CommandError} otherwise
 *   (or {@link CommandSpecError} for an invalid spec).
 *
 * #### Notes
 * Timeout and abort send SIGTERM to the whole group, then SIGKILL after 2 s. When the command exits
 * on its own, anything it left running in its group (a background `sleep &`, an MPI helper) is stopped
 * the same way before the promise settles. A process that leaves the group with `setsid` escapes this;
 * only a cgroup could follow it.
 */
export async function runCommand(
  spec: CommandSpec,
  placement: CommandPlacement,
  signal?: AbortSignal,
): Promise<CommandResult> {
  const checked = validateCommandSpec(spec);
  checkPlacement(placement);
  const argv = launchArgv(checked, placement);
  const tails = { stdoutTail: '', stderrTail: '', argv };
  if (signal?.aborted) {
    throw new CommandError(`Command \`${formatArgv(argv)}\` was cancelled before it started.`, {
      ...tails,
      reason: 'cancelled',
      exitCode: null,
      signal: null,
    });
  }
  if (checked.cwd !== undefined) await checkCwd(checked.cwd, argv);
  return run(checked, argv, launchEnv(process.env, checked, placement), signal);
}

// Private: what follows is internal to this module.

type Outcome =
  { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null } | { kind: 'spawn'; error: Error };

/** Bound on waiting for stdout/stderr to close once the group is gone (a `setsid` escapee may hold them). */
const STREAM_CLOSE_WAIT_MS = 1000;

// Node reports a missing cwd as ENOENT for the program, which would send the user looking for the
// wrong thing; check it first.
async function checkCwd(cwd: string, argv: string[]): Promise<void> {
  const info = await stat(cwd).catch(() => undefined);
  if (info?.isDirectory()) return;
  throw new CommandError(
    `Cannot start \`${formatArgv(argv)}\`: its working directory ${JSON.stringify(cwd)} ${info ? 'is not a directory' : 'does not exist'} on this worker. Check the task's cwd; relative paths are resolved against the worker's working directory (${process.cwd()}).`,
    { reason: 'spawn', exitCode: null, signal: null, stdoutTail: '', stderrTail: '', argv },
  );
}

function run(
  spec: CommandSpec,
  argv: string[],
  env: Record<string, string>,
  abortSignal: AbortSignal | undefined,
): Promise<CommandResult> {
  const tailBytes = spec.tailBytes ?? DEFAULT_TAIL_BYTES;
  const stdout = new TailBuffer(tailBytes);
  const stderr = new TailBuffer(tailBytes);
  const started = performance.now();
  const [program, ...args] = argv as [string, ...string[]];
  // detached: the child leads a new process group, so one kill(-pid) reaches everything it starts.
  // stdin is /dev/null so a program that reads it sees end-of-file instead of waiting forever.
  const child = spawn(program, args, {
    cwd: spec.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const pid = child.pid;
  if (pid !== undefined) trackProcessGroup(pid);

  let stoppedFor: 'timeout' | 'cancelled' | undefined;
  let stopping: Promise<void> | undefined;
  const stopGroup = (): Promise<void> =>
    (stopping ??= pid === undefined ? Promise.resolve() : stopProcessGroup(pid));
  const stopFor = (why: 'timeout' | 'cancelled') => {
    stoppedFor ??= why;
    void stopGroup();
  };
  const timer =
    spec.timeoutMs === undefined ? undefined : setTimeout(() => stopFor('timeout'), spec.timeoutMs);
  const onAbort = () => stopFor('cancelled');
  abortSignal?.addEventListener('abort', onAbort, { once: true });
  // An abort that came while the cwd was being checked fired no event for this listener.
  if (abortSignal?.aborted) onAbort();

  const outcome = new Promise<Outcome>((resolve) => {
    child.once('error', (error) => resolve({ kind: 'spawn', error }));
    child.once('exit', (code, signal) => resolve({ kind: 'exit', code, signal }));
  });

  return outcome.then(async (ended) => {
    // From here a late timeout or abort must not relabel a command that already ended on its own.
    if (timer !== undefined) clearTimeout(timer);
    abortSignal?.removeEventListener('abort', onAbort);
    // The leader is gone; whatever it left in its group must go too before we report.
    await stopGroup();
    const giveUp = new AbortController();
    await Promise.race([
      closed,
      delay(STREAM_CLOSE_WAIT_MS, undefined, { signal: giveUp.signal }).catch(() => {}),
    ]);
    giveUp.abort();
    child.stdout.destroy();
    child.stderr.destroy();
    const fields = { stdoutTail: stdout.toString(), stderrTail: stderr.toString(), argv };
    if (ended.kind === 'spawn') throw spawnError(ended.error, argv, env, fields);
    const { code, signal } = ended;
    if (stoppedFor === undefined && code === 0) {
      const durationMs = performance.now() - started;
      return { exitCode: 0, stdoutTail: fields.stdoutTail, stderrTail: fields.stderrTail, durationMs };
    }
    throw new CommandError(failureMessage(argv, spec, stoppedFor, code, signal, fields), {
      ...fields,
      reason: stoppedFor ?? (code === null ? 'signal' : 'exit'),
      exitCode: code,
      signal,
    });
  });
}

function failureMessage(
  argv: string[],
  spec: CommandSpec,
  stoppedFor: 'timeout' | 'cancelled' | undefined,
  code: number | null,
  signal: NodeJS.Signals | null,
  tails: { stdoutTail: string; stderrTail: string },
): string {
  const command = `Command \`${formatArgv(argv)}\``;
  if (stoppedFor === 'timeout') {
    return `${command} timed out after ${spec.timeoutMs} ms and was stopped with its process group. Raise timeoutMs if it needs longer.${outputSection(tails)}`;
  }
  if (stoppedFor === 'cancelled')
    return `${command} was cancelled and stopped with its process group.${outputSection(tails)}`;
  const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
  return `${command} ${how}.${outputSection(tails)}`;
}

/** The stderr tail, or the stdout tail when stderr is empty: many programs report errors on stdout. */
function outputSection(tails: { stdoutTail: string; stderrTail: string }): string {
  const stderr = tails.stderrTail.trimEnd();
  if (stderr !== '') return `\nstderr (tail):\n${stderr}`;
  const stdout = tails.stdoutTail.trimEnd();
  if (stdout !== '') return `\nstdout (tail, stderr was empty):\n${stdout}`;
  return ' It printed nothing.';
}

function spawnError(
  error: Error,
  argv: string[],
  env: Record<string, string>,
  fields: { stdoutTail: string; stderrTail: string; argv: string[] },
): CommandError {
  const program = argv[0] ?? '';
  const code = (error as NodeJS.ErrnoException).code;
  let why: string;
  if (code === 'ENOENT') {
    why = program.includes('/')
      ? `${JSON.stringify(program)} does not exist on this worker. Check the path, or install it there.`
      : `${JSON.stringify(program)} was not found on this worker's PATH (${env.PATH ?? 'PATH is not set'}). Check that it is installed on the worker and on its PATH (a module load or a conda environment in the worker's start-up), or give an absolute path.`;
  } else if (code === 'EACCES') {
    why = `${JSON.stringify(program)} is not executable on this worker (permission denied). Check its mode (chmod +x) and that the file system is not mounted noexec.`;
  } else {
    why = `${error.message}.`;
  }
  return new CommandError(
    `Cannot start \`${formatArgv(argv)}\`: ${why}`,
    {
      ...fields,
      reason: 'spawn',
      exitCode: null,
      signal: null,
    },
    { cause: error },
  );
}
