import type { ValueType } from '../units/value-type.js';
import { BOUNDS } from '../validation/bounds.js';
import type { BatchKind, JobQueueOptions } from './options.js';

/** The value kinds an option can take, for validation and for forms. */
export type OptionType = ValueType;

/** One option, as data: a form, the CLI's help and the validator all read this. */
export interface OptionSpec {
  readonly name: keyof JobQueueOptions;
  readonly type: OptionType;
  /** The default, as shown to people; `undefined` means "not set / not emitted". */
  readonly default: string | number | boolean | readonly string[] | undefined;
  readonly help: string;
  /** Only these batch systems read the option; absent means all. */
  readonly backends?: readonly BatchKind[];
  /** Allowed values for enumerated strings. */
  readonly choices?: readonly string[];
  readonly required?: boolean;
  /** Integers: the smallest and largest value accepted (see `BOUNDS`). */
  readonly min?: number;
  readonly max?: number;
}

const SAFE_WORD = 'letters, digits and _ . - @ + : only (no spaces, quotes or shell characters)';
const SAFE_PATH =
  'an absolute or relative path of letters, digits and _ @ % + = : , . / -, optionally with $VAR or ${VAR} references (no spaces or quotes)';

/**
 * Every job-queue option with its type, default and help text.
 *
 * #### Notes
 * This list is the single source of the help text: the manager's form and the CLI reuse it.
 */
export const JOB_QUEUE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'cores',
    min: 1,
    max: BOUNDS.cores,
    type: 'integer',
    default: undefined,
    required: true,
    help: "Cores per job. Requested from the batch system as the job's CPUs; each worker gets cores / processes threads.",
  },
  {
    name: 'memory',
    type: 'bytes',
    default: undefined,
    required: true,
    help: 'Memory per job, e.g. "16GB" (16·10^9 bytes) or "16GiB" (2^34 bytes). Requested from the batch system in its own units; each worker\'s memory limit is memory / processes.',
  },
  {
    name: 'processes',
    min: 1,
    max: BOUNDS.cores,
    type: 'integer',
    default: 'about √cores',
    help: 'Worker processes per job. Default as dask-jobqueue: cores when cores ≤ 4, else the smallest divisor of cores that is ≥ √cores.',
  },
  {
    name: 'walltime',
    type: 'duration',
    default: '00:30:00',
    help: "Maximum run time of each job: HH:MM:SS, D-HH:MM:SS, MM:SS or minutes. On LSF two fields are LSF's HH:MM. Written in each system's format (LSF -W HH:MM).",
  },
  {
    name: 'queue',
    type: 'string',
    default: undefined,
    help: `Queue (SLURM partition) to submit to; ${SAFE_WORD}.`,
  },
  {
    name: 'pool',
    type: 'string',
    default: undefined,
    help: `Named pool the workers serve (e.g. training): tasks submitted with that pool run only on them; ${SAFE_WORD}.`,
  },
  {
    name: 'account',
    type: 'string',
    default: undefined,
    help: `Account or project charged for the jobs (SLURM -A, PBS -A, LSF -P, SGE -P); ${SAFE_WORD}. On LSF single spaces are allowed too (written quoted: -P "Dask On LSF").`,
  },
  {
    name: 'gpus',
    min: 0,
    max: BOUNDS.gpus,
    type: 'integer',
    default: 0,
    help: 'GPUs per job (SLURM --gres=gpu:N or --gpus, PBS ngpus, LSF -gpu "num=N", SGE -l gpu=N); also declared to the workers as the resource "gpus".',
  },
  {
    name: 'resources',
    type: 'number-map',
    default: undefined,
    help: 'Custom named resources each worker declares (e.g. {"licence": 1}); passed as --resources.',
  },
  {
    name: 'name',
    type: 'string',
    default: 'drover-worker',
    help: `Job name shown by the batch system and base of the worker names; ${SAFE_WORD}.`,
  },
  {
    name: 'jobExtraDirectives',
    type: 'string[]',
    default: [],
    help: 'Extra directives, one per entry, without the prefix (e.g. "--exclusive" becomes "#SBATCH --exclusive"). Added after the generated ones; one line each.',
  },
  {
    name: 'jobDirectivesSkip',
    type: 'string[]',
    default: [],
    help: 'Generated directives to leave out. An entry matches a whole directive ("--mem=15G") or its leading option ("--mem", "-l walltime"), never a substring: "-t" does not remove "--cpus-per-task".',
  },
  {
    name: 'jobScriptPrologue',
    type: 'lines',
    default: [],
    help: 'Shell lines run before the worker starts (e.g. "module load nodejs"), one per entry; a string is split on newlines.',
  },
  {
    name: 'jobScriptEpilogue',
    type: 'lines',
    default: [],
    help: 'Shell lines run after the worker exits, one per entry; a string is split on newlines.',
  },
  {
    name: 'env',
    type: 'string-map',
    default: undefined,
    help: 'Environment variables exported in the job script before the prologue; values are quoted for the shell.',
  },
  {
    name: 'interface',
    type: 'string',
    default: undefined,
    help: `Network interface the workers listen on (e.g. ib0); ${SAFE_WORD}.`,
  },
  {
    name: 'localDirectory',
    type: 'string',
    default: undefined,
    help: `Worker scratch directory on the compute node, e.g. $TMPDIR; ${SAFE_PATH}.`,
  },
  {
    name: 'logDirectory',
    type: 'string',
    default: undefined,
    help: `Directory for the jobs' stdout and stderr files (must exist on the shared file system); ${SAFE_PATH}. Unset: the batch system's default place.`,
  },
  {
    name: 'workerExtraArgs',
    type: 'string[]',
    default: [],
    help: 'Extra arguments appended to the worker command, one argument per entry (each is quoted for the shell).',
  },
  {
    name: 'workerCommand',
    type: 'command',
    default: '<node> <drover bin>',
    help: "The command that starts a Drover worker: an argument list or one string split on spaces. Default: this Node executable and this installation's drover bin (absolute paths; the file system must be shared).",
  },
  {
    name: 'workerBundle',
    type: 'string',
    default: undefined,
    help: `A directory on the shared file system for the single-file worker bundle: the cluster places drover-worker-<checksum>.mjs there and each job checks its checksum, then runs it with workerNode. Compute nodes then need only Node (no checkout, no node_modules); ${SAFE_PATH}.`,
  },
  {
    name: 'workerNode',
    type: 'string',
    default: 'node',
    help: 'With workerBundle: the node binary the job runs (default "node" on the PATH the prologue sets up, e.g. after "module load nodejs").',
  },
  { name: 'shebang', type: 'string', default: '#!/usr/bin/env bash', help: 'First line of the job script.' },
  {
    name: 'deathTimeout',
    type: 'integer',
    min: 1,
    max: BOUNDS.deathTimeoutSeconds,
    default: 60,
    help: 'Seconds a worker keeps trying to reach the scheduler before it exits.',
  },
  {
    name: 'memoryPause',
    type: 'number',
    default: 0.8,
    help: "Fraction of each worker's memory limit (memory / processes) above which it takes no new tasks, until it is back 0.1 below.",
  },
  {
    name: 'memoryRestart',
    type: 'number',
    default: 0.95,
    help: 'Fraction of the memory limit above which a worker restarts (as Dask\'s nanny); its running tasks go back to the scheduler, and a task that does this more than allowedCrashes times fails with "exceeded the memory limit N times". 0: never restart.',
  },
  {
    name: 'workerLifetime',
    type: 'boolean',
    default: true,
    help: 'Pass --lifetime (walltime minus lifetimeMargin) so workers leave cleanly before the batch system kills the job.',
  },
  {
    name: 'lifetimeMargin',
    type: 'string',
    default: 'max(60 s, 5 %)',
    help: 'How long before the walltime workers leave: seconds (e.g. 120) or a percentage of the walltime ("10%"). Default the larger of 60 s and 5 %, at most half the walltime.',
  },
  {
    name: 'templateDirectory',
    type: 'string',
    default: 'templates/jobscripts',
    help: "Directory with your own <kind>.sh job-script templates; overrides Drover's templates of the same name.",
  },
  {
    name: 'jobCpu',
    min: 1,
    max: BOUNDS.cores,
    type: 'integer',
    default: undefined,
    backends: ['slurm'],
    help: 'SLURM --cpus-per-task if it must differ from cores.',
  },
  {
    name: 'jobMem',
    type: 'string',
    default: undefined,
    backends: ['slurm'],
    help: 'SLURM --mem written verbatim (e.g. "0" for the whole node) instead of the value from memory.',
  },
  {
    name: 'slurmGpuDirective',
    type: 'string',
    default: 'gres',
    choices: ['gres', 'gpus'],
    backends: ['slurm'],
    help: 'How GPUs are requested on SLURM: "gres" (--gres=gpu:N, works everywhere) or "gpus" (--gpus=N, SLURM ≥ 19.05).',
  },
  {
    name: 'flavour',
    type: 'string',
    default: 'detected from qstat --version',
    choices: ['torque', 'pbspro'],
    backends: ['pbs'],
    help: 'PBS: "torque" (#PBS -l nodes=1:ppn=N:gpus=G and -l mem=) or "pbspro" for PBS Pro and OpenPBS (#PBS -l select=1:ncpus=N:ngpus=G:mem=). Unset: the cluster asks qstat --version; a preview shows pbspro.',
  },
  {
    name: 'resourceSpec',
    type: 'string',
    default: undefined,
    backends: ['pbs', 'sge'],
    help: 'PBS: replaces the generated "-l select=1:ncpus=…:mem=…" line. SGE: replaces the generated memory/GPU "-l" list (e.g. "h_vmem=12G,mem_req=12G").',
  },
  {
    name: 'useStdin',
    type: 'boolean',
    default: true,
    backends: ['lsf'],
    help: 'LSF: give the script to bsub on standard input (bsub < script) so that #BSUB lines are read.',
  },
  {
    name: 'lsfUnitsForLimits',
    type: 'string',
    default: 'from lsf.conf, else KB',
    choices: ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'],
    backends: ['lsf'],
    help: "LSF: unit of -M and rusage[mem=]. Default: LSF_UNIT_FOR_LIMITS from $LSF_ENVDIR/lsf.conf, $LSF_CONFDIR/lsf.conf or /etc/lsf.conf, else KB (LSF's default).",
  },
  {
    name: 'parallelEnvironment',
    type: 'string',
    default: 'smp',
    backends: ['sge'],
    help: 'SGE: parallel environment used to request the cores ("-pe smp 8"); empty string to request no slots.',
  },
  {
    name: 'sgeMemoryResource',
    type: 'string',
    default: 'mem_free',
    backends: ['sge'],
    help: 'SGE: resource that requests the memory ("mem_free", "h_vmem", "mem_req", …); empty string for none. h_*/s_* limits are per slot, so they get memory / cores.',
  },
  {
    name: 'sgeGpuResource',
    type: 'string',
    default: 'gpu',
    backends: ['sge'],
    help: 'SGE: the site\'s consumable for GPUs, requested as "-l NAME=N" (e.g. "gpu", "nvidia_gpu"). Workers take their devices from its RSMAP variable SGE_HGR_NAME when the site sets one.',
  },
  {
    name: 'sgeShell',
    type: 'string',
    default: '/bin/bash',
    backends: ['sge'],
    help: 'SGE: shell that runs the script (-S); Grid Engine ignores the shebang by default.',
  },
];
