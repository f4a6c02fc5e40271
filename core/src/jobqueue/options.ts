/** The batch systems Drover submits workers to. */
export type BatchKind = 'slurm' | 'pbs' | 'lsf' | 'sge';

/** Every batch kind, in a stable order. */
export const BATCH_KINDS: readonly BatchKind[] = ['slurm', 'pbs', 'lsf', 'sge'];

/**
 * What one batch job looks like: the parameters of dask-jobqueue in camelCase, with the same
 * meaning. `cores` and `memory` are required; see {@link JOB_QUEUE_OPTIONS} for defaults and help.
 */
export interface JobQueueOptions {
  cores: number;
  memory: string | number;
  processes?: number;
  walltime?: string | number;
  queue?: string;
  account?: string;
  gpus?: number;
  resources?: Record<string, number>;
  name?: string;
  jobExtraDirectives?: string[];
  jobDirectivesSkip?: string[];
  jobScriptPrologue?: string[] | string;
  jobScriptEpilogue?: string[] | string;
  env?: Record<string, string>;
  interface?: string;
  localDirectory?: string;
  logDirectory?: string;
  workerExtraArgs?: string[];
  workerCommand?: string[] | string;
  shebang?: string;
  deathTimeout?: number;
  workerLifetime?: boolean;
  lifetimeMargin?: number | string;
  templateDirectory?: string;
  jobCpu?: number;
  jobMem?: string;
  slurmGpuDirective?: 'gres' | 'gpus';
  resourceSpec?: string;
  useStdin?: boolean;
  lsfUnitsForLimits?: string;
  parallelEnvironment?: string;
  sgeMemoryResource?: string;
  sgeShell?: string;
}
