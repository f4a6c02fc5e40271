import type { JobState } from '../job-state.js';
import type { BatchKind } from '../options.js';
import type { ResolvedJob } from '../resolved-job.js';

/** One external command: program, arguments and optional standard input (never run through a shell). */
export interface CommandSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly stdin?: string;
}

/** What a command printed and how it ended. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** The command as actually run (with its directory), for messages; runners may leave it out. */
  readonly command?: string;
}

/** Runs a command (see `runCommand`); tests and remote-submit setups may pass their own. */
export type CommandRunner = (spec: CommandSpec) => Promise<CommandResult>;

/**
 * The contract every batch system implements: directives, submit, batched status, cancel, dry run.
 *
 * #### Notes
 * Methods that build commands or parse output are pure, so the conformance suite can check them on
 * captured real outputs; `lookupFinished` is the one that runs commands, because where the final
 * state of a job that left the queue lives differs per system (SLURM's sacct or jobcomp log, SGE's
 * qacct).
 */
export interface BatchSystem {
  readonly kind: BatchKind;
  /** `#SBATCH`, `#PBS`, `#BSUB` or `#$`. */
  readonly directivePrefix: string;
  /** The generated directives, without prefix, in emission order (before skip and extras). */
  renderDirectives(job: ResolvedJob): string[];
  /**
   * The submit command for a script saved at `scriptPath` whose text is `script` (LSF reads it
   * from standard input when `useStdin`).
   */
  submitCommand(job: ResolvedJob, scriptPath: string, script: string): CommandSpec;
  /** The job id from the submit command's standard output. */
  parseSubmitOutput(stdout: string): string;
  /** One command that reports every job in `jobIds`. */
  statusCommand(jobIds: readonly string[]): CommandSpec;
  /**
   * States of the jobs the status command listed. Jobs it did not list are absent. Throws a
   * BatchParseError when the output is not what the command prints.
   */
  parseStatus(result: CommandResult): Map<string, JobState>;
  /** Final states of jobs the status command no longer lists (empty map when unknowable). */
  lookupFinished(jobIds: readonly string[], run: CommandRunner): Promise<Map<string, JobState>>;
  /**
   * For systems whose status command gives no pending reason (SGE's qstat -xml): one command that
   * explains why the given pending jobs wait, and its parser (job id → the scheduler's words).
   */
  readonly pendingReasons?: {
    command(jobIds: readonly string[]): CommandSpec;
    parse(result: CommandResult): Map<string, string>;
  };
  cancelCommand(jobIds: readonly string[]): CommandSpec;
  /** True when a failed cancel only means "already gone". */
  isAlreadyGone(result: CommandResult): boolean;
  /** A command that checks a script without queueing it (`sbatch --test-only`), or null. */
  dryRunCommand(job: ResolvedJob, scriptPath: string, script: string): CommandSpec | null;
  /** Where the job's stdout and stderr go, when `logDirectory` is set. */
  outputPaths(job: ResolvedJob, jobId: string): { stdout: string; stderr: string } | null;
}
