import type { CommandSpec } from './command-spec.js';

/** The resources the scheduler placed a command task on. */
export interface CommandPlacement {
  /** Cores reserved for the task; a positive integer. */
  cores: number;
  /** GPU device ids reserved for the task, as CUDA_VISIBLE_DEVICES names them (may be empty). */
  gpuIds: string[];
}

/** Variables that size the thread pools of OpenMP, MKL and OpenBLAS. */
export const THREAD_COUNT_VARIABLES: readonly string[] = [
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
];

/** Throws a TypeError when a placement is not one the worker could have made. */
export function checkPlacement(placement: CommandPlacement): void {
  if (!Number.isSafeInteger(placement.cores) || placement.cores < 1) {
    throw new TypeError(
      `A command placement needs a positive integer of cores, got ${String(placement.cores)}`,
    );
  }
  if (
    !Array.isArray(placement.gpuIds) ||
    !placement.gpuIds.every((id) => typeof id === 'string' && /^[A-Za-z0-9_:./-]+$/.test(id))
  ) {
    throw new TypeError(
      `A command placement's gpuIds must be device ids such as "0" or "GPU-…", got ${String(placement.gpuIds)}`,
    );
  }
}

/**
 * The argv actually spawned: the launcher template, if any, with `{cores}` and `{gpus}` substituted,
 * followed by the task's argv.
 */
export function launchArgv(spec: CommandSpec, placement: CommandPlacement): string[] {
  if (spec.launcher === undefined) return [...spec.argv];
  const prefix = spec.launcher
    .trim()
    .split(/\s+/)
    .map((word) =>
      word
        .replaceAll('{cores}', String(placement.cores))
        .replaceAll('{gpus}', String(placement.gpuIds.length)),
    );
  return [...prefix, ...spec.argv];
}

/**
 * The environment a command task runs with.
 *
 * #### Notes
 * Order of precedence, lowest first: the worker's environment, the thread counts derived from the
 * placement, the task's `env`, and `CUDA_VISIBLE_DEVICES`.
 *
 * - Thread counts are `cores` for a plain command. With a launcher they are 1: a template such as
 *   `mpirun -np {cores}` already starts one rank per core, and `cores` threads in each rank would
 *   oversubscribe the placement `cores`-fold. A hybrid MPI/OpenMP run sets them in `env`
 *   (e.g. `mpirun -np 4` with `OMP_NUM_THREADS: '2'` on 8 cores), which is why `env` wins over them.
 * - `CUDA_VISIBLE_DEVICES` is always set, to the placed GPU ids joined by commas, and to the empty string
 *   when the task asked for no GPU: CUDA then shows the task no device at all, so a CPU task cannot
 *   silently take a GPU placed for another task. `validateCommandSpec` refuses it in `env`.
 */
export function launchEnv(
  workerEnv: NodeJS.ProcessEnv,
  spec: CommandSpec,
  placement: CommandPlacement,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(workerEnv)) if (value !== undefined) env[name] = value;
  const threads = String(spec.launcher === undefined ? placement.cores : 1);
  for (const name of THREAD_COUNT_VARIABLES) env[name] = threads;
  Object.assign(env, spec.env);
  env.CUDA_VISIBLE_DEVICES = placement.gpuIds.join(',');
  return env;
}

/** A command line for messages: argv words joined by spaces, quoted the way a POSIX shell would need. */
export function formatArgv(argv: readonly string[]): string {
  return argv
    .map((word) => (/^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}
