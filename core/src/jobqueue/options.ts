/** The batch systems Drover submits workers to. */
export type BatchKind = 'slurm' | 'pbs' | 'lsf' | 'sge';

/** Every batch kind, in a stable order. */
export const BATCH_KINDS: readonly BatchKind[] = ['slurm', 'pbs', 'lsf', 'sge'];

/**
 * What one batch job looks like: the parameters of dask-jobqueue in camelCase, with the same
 * meaning. `cores` and `memory` are required. The full help text of every field, as data for forms,
 * is `JOB_QUEUE_OPTIONS` (option-specs.ts).
 */
export interface JobQueueOptions {
  /** Cores per job (required); each worker gets cores / processes threads. */
  cores: number;
  /** Memory per job (required): "16GB" = 16·10^9 bytes, "16GiB" = 2^34, or a number of bytes. */
  memory: string | number;
  /** Worker processes per job. @defaultValue cores when ≤ 4, else the smallest divisor ≥ √cores */
  processes?: number;
  /** Run-time limit per job: HH:MM:SS, D-HH:MM:SS, MM:SS (LSF: HH:MM) or minutes. @defaultValue "00:30:00" */
  walltime?: string | number;
  /** Queue or SLURM partition. */
  queue?: string;
  /** Account / project charged (SLURM/PBS -A, LSF/SGE -P). */
  account?: string;
  /** GPUs per job, also declared to workers as resource "gpus". @defaultValue 0 */
  gpus?: number;
  /** Custom named resources each worker declares (--resources). */
  resources?: Record<string, number>;
  /**
   * Named pool the workers serve: tasks submitted with that `pool` run only on them. Clusters of
   * different pools can share one scheduler (psiflow's per-task-type executors).
   */
  pool?: string;
  /** Job name and base of worker names. @defaultValue "drover-worker" */
  name?: string;
  /** Extra directives without prefix, after the generated ones. */
  jobExtraDirectives?: string[];
  /** Generated directives to leave out: a whole directive or its leading option, never a substring. */
  jobDirectivesSkip?: string[];
  /** Shell lines before the worker command (a string is split on newlines). */
  jobScriptPrologue?: string[] | string;
  /** Shell lines after the worker command (a string is split on newlines). */
  jobScriptEpilogue?: string[] | string;
  /** Environment variables exported before the prologue. */
  env?: Record<string, string>;
  /** Network interface the workers listen on. */
  interface?: string;
  /** Worker scratch directory on the node; may use $VAR (e.g. $TMPDIR). */
  localDirectory?: string;
  /** Directory for the jobs' stdout/stderr (a literal path on the shared file system). */
  logDirectory?: string;
  /** Extra arguments for the worker command, one per entry. */
  workerExtraArgs?: string[];
  /** Command that starts a worker. @defaultValue [process.execPath, <this installation>/core/bin/drover.mjs] */
  workerCommand?: string[] | string;
  /**
   * A directory on the shared file system: the cluster places its single-file worker bundle there
   * and jobs run it with `workerNode` (checksum checked first), so compute nodes need only Node.
   */
  workerBundle?: string;
  /** With workerBundle: the node the job runs. @defaultValue "node" (the compute node's PATH, after the prologue) */
  workerNode?: string;
  /** First line of the script. @defaultValue "#!/usr/bin/env bash" */
  shebang?: string;
  /** Seconds a worker tries to reach the scheduler before exiting. @defaultValue 60 */
  deathTimeout?: number;
  /** Fraction of each worker's memory (memory / processes) above which it takes no new tasks. @defaultValue 0.8 */
  memoryPause?: number;
  /** Fraction above which the worker restarts, its running tasks going back to the scheduler; 0: never. @defaultValue 0.95 */
  memoryRestart?: number;
  /** Pass --lifetime = walltime − lifetimeMargin. @defaultValue true */
  workerLifetime?: boolean;
  /** Seconds or "N%" of the walltime before it that workers leave. @defaultValue max(60 s, 5 %), at most half the walltime */
  lifetimeMargin?: number | string;
  /** Directory with your own <kind>.sh templates. */
  templateDirectory?: string;
  /** SLURM only: --cpus-per-task if not cores. */
  jobCpu?: number;
  /** SLURM only: --mem verbatim (e.g. "0"). */
  jobMem?: string;
  /** SLURM only: "gres" (--gres=gpu:N) or "gpus" (--gpus=N). @defaultValue "gres" */
  slurmGpuDirective?: 'gres' | 'gpus';
  /**
   * PBS only: `torque` (`nodes=1:ppn=N`, `mem=`) or `pbspro` (PBS Pro / OpenPBS, `select=1:ncpus=N:mem=`).
   * @defaultValue detected by the cluster from `qstat --version`; a preview without a cluster shows pbspro
   */
  flavour?: 'torque' | 'pbspro';
  /** PBS: replaces the select line; SGE: replaces the memory/GPU -l list. */
  resourceSpec?: string;
  /** LSF only: submit with bsub < script. @defaultValue true */
  useStdin?: boolean;
  /** LSF only: unit of -M / rusage[mem]. @defaultValue LSF_UNIT_FOR_LIMITS from lsf.conf, else KB */
  lsfUnitsForLimits?: string;
  /** SGE only: PE for the cores ("" for none). @defaultValue "smp" */
  parallelEnvironment?: string;
  /** SGE only: memory resource ("" for none). @defaultValue "mem_free" */
  sgeMemoryResource?: string;
  /** SGE only: the consumable that requests GPUs (-l NAME=N). @defaultValue "gpu" */
  sgeGpuResource?: string;
  /** SGE only: shell that runs the script (-S). @defaultValue "/bin/bash" */
  sgeShell?: string;
}
