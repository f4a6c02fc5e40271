import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { CommandResult, CommandRunner, CommandSpec } from './backends/batch-system.js';
import { BatchCommandError } from './errors.js';
import { shellQuote } from './shell-safety.js';

/** How batch commands are run. */
export interface CommandOptions {
  /**
   * Directory holding the batch system's commands (e.g. a site's `/opt/slurm/bin`); default: found
   * on PATH. Lets Torque's `qsub` and Grid Engine's `qsub` live side by side.
   */
  readonly binDirectory?: string;
  /** Kill a command that runs longer than this; default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Extra environment variables for the commands (e.g. `SGE_ROOT`). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Directory the commands run in; default this process's. Jobs submitted from there start there
   * (SGE's -cwd) and, on systems that ignore the script's output directives (Torque's qsub
   * wrappers), write their output files there.
   */
  readonly cwd?: string;
}

/** The command as a person would type it, for messages. */
export function describeCommand(spec: CommandSpec): string {
  return (
    [spec.file, ...spec.args].map(shellQuote).join(' ') + (spec.stdin !== undefined ? ' < (script)' : '')
  );
}

/**
 * A {@link CommandRunner} that runs commands with `execFile` (no shell) and a timeout. A non-zero
 * exit is returned, not thrown: the caller knows which exits are errors. A command that cannot
 * start or times out throws a {@link BatchCommandError}.
 */
export function commandRunner(options: CommandOptions = {}): CommandRunner {
  const timeout = options.timeoutMs ?? 60_000;
  return (spec) =>
    new Promise<CommandResult>((resolve, reject) => {
      const file = options.binDirectory === undefined ? spec.file : join(options.binDirectory, spec.file);
      const child = execFile(
        file,
        [...spec.args],
        {
          timeout,
          killSignal: 'SIGKILL',
          maxBuffer: 64 * 1024 * 1024,
          env: options.env ? { ...process.env, ...options.env } : process.env,
          ...(options.cwd ? { cwd: options.cwd } : {}),
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          const described = describeCommand({ ...spec, file });
          if (error && typeof error.code === 'string') {
            const hint =
              error.code === 'ENOENT'
                ? ` (${spec.file} is not installed or not on PATH; set binDirectory)`
                : '';
            reject(
              new BatchCommandError(`could not run ${spec.file}${hint}`, {
                command: described,
                exitCode: null,
                stdout,
                stderr: stderr || error.message,
              }),
            );
            return;
          }
          if (error && error.killed) {
            reject(
              new BatchCommandError(`${spec.file} did not finish within ${timeout} ms`, {
                command: described,
                exitCode: null,
                stdout,
                stderr,
              }),
            );
            return;
          }
          resolve({
            stdout,
            stderr,
            exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
            command: described,
          });
        },
      );
      if (spec.stdin !== undefined) child.stdin?.end(spec.stdin);
      else child.stdin?.end();
    });
}
