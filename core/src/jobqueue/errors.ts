// Defined with the unit parsers, which throw it, at the bottom of the house.
export { JobQueueConfigError } from '../units/config-error.js';

/** What a batch-system command did, kept for error messages and logs. */
export interface CommandOutcome {
  /** The command as a person would type it, for messages only (it is never run through a shell). */
  readonly command: string;
  /** Exit code, or `null` when the command could not run or was stopped by the timeout. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A batch-system command failed (submit refused, cancel failed, command missing or timed out).
 * The message carries the batch system's own words, the command and its exit code.
 */
export class BatchCommandError extends Error implements CommandOutcome {
  override readonly name = 'BatchCommandError';
  readonly command: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  constructor(summary: string, outcome: CommandOutcome) {
    const said = (outcome.stderr.trim() || outcome.stdout.trim() || '(no output)').slice(0, 4000);
    const code = outcome.exitCode === null ? 'did not exit' : `exit code ${outcome.exitCode}`;
    super(`${summary}\n  command: ${outcome.command}\n  ${code}\n  ${said.replace(/\n/g, '\n  ')}`);
    this.command = outcome.command;
    this.exitCode = outcome.exitCode;
    this.stdout = outcome.stdout;
    this.stderr = outcome.stderr;
  }
}

/** Output of a batch-system command that Drover could not understand (e.g. a changed format). */
export class BatchParseError extends Error {
  override readonly name = 'BatchParseError';
  constructor(
    message: string,
    /** The text that could not be parsed. */
    readonly output: string,
  ) {
    super(`${message}\n  output was: ${output.trim().slice(0, 2000) || '(empty)'}`);
  }
}
