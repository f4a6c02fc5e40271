import type { LsfUnit } from '../units/memory.js';
import type { PbsFlavor } from './backends/pbs.js';
import type { BatchKind } from './options.js';
import type { WorkerBundle } from './worker-bundle.js';

/**
 * A job description after validation and defaults: every unit parsed, every list normalised.
 * Backends and the job-script renderer read only this.
 */
export interface ResolvedJob {
  readonly kind: BatchKind;
  readonly cores: number;
  readonly processes: number;
  /** Threads per worker: floor(cores / processes), as dask-jobqueue. */
  readonly threadsPerWorker: number;
  readonly memoryBytes: number;
  /** Memory limit per worker: floor(memory / processes). */
  readonly memoryPerWorkerBytes: number;
  readonly walltimeSeconds: number;
  /** Seconds a worker lives (walltime minus margin), or null when workerLifetime is off. */
  readonly lifetimeSeconds: number | null;
  readonly queue: string | undefined;
  readonly account: string | undefined;
  readonly gpus: number;
  readonly resources: Readonly<Record<string, number>>;
  /** The pool the workers serve, if any. */
  readonly pool: string | undefined;
  readonly name: string;
  readonly jobExtraDirectives: readonly string[];
  readonly jobDirectivesSkip: readonly string[];
  readonly prologue: readonly string[];
  readonly epilogue: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly interface: string | undefined;
  readonly localDirectory: string | undefined;
  readonly logDirectory: string | undefined;
  readonly workerExtraArgs: readonly string[];
  readonly workerCommand: readonly string[];
  /** With `workerBundle`: the bundle the job runs (and checks before starting). */
  readonly workerBundle: WorkerBundle | undefined;
  readonly shebang: string;
  readonly deathTimeout: number;
  /** Memory thresholds given (fractions of the per-worker limit); absent: the worker's defaults. */
  readonly memoryPause: number | undefined;
  readonly memoryRestart: number | undefined;
  readonly templateDirectory: string | undefined;
  readonly jobCpu: number | undefined;
  readonly jobMem: string | undefined;
  readonly slurmGpuDirective: 'gres' | 'gpus';
  readonly resourceSpec: string | undefined;
  /** PBS dialect; undefined until detected (`qstat --version`). */
  readonly pbsFlavour: PbsFlavor | undefined;
  readonly useStdin: boolean;
  readonly lsfUnit: LsfUnit;
  readonly parallelEnvironment: string;
  readonly sgeMemoryResource: string;
  readonly sgeShell: string;
  readonly sgeGpuResource: string;
}
