import { BOUNDS, hasControlCharacter, shown, textProblem } from '../../validation/bounds.js';
import type { ClusterKind } from '../api-types.js';
import { SpecError } from './spec-error.js';

/** What runs the tasks: Drover's own scheduler and workers, or Dask's (Python clients). */
export type Engine = 'drover' | 'dask';
export const ENGINES: readonly Engine[] = ['drover', 'dask'];

/** Options that only one engine understands, and what to use on the other. */
const ONLY_DASK: Readonly<Record<string, string>> = {
  python: 'the Drover engine runs workers with Node; python chooses the interpreter of Dask workers',
};
const ONLY_DROVER: Readonly<Record<string, string>> = {
  pools: 'Dask workers take named resources instead: options.resources, e.g. {"training": 1}',
  pool: 'Dask workers take named resources instead: options.resources, e.g. {"training": 1}',
  workerCommand:
    'a Dask job runs python -m distributed.cli.dask_worker; choose the interpreter with options.python',
  workerBundle: 'Dask workers run with python3-distributed on the compute nodes, not a Node bundle',
  workerNode: 'Dask workers run with python3-distributed on the compute nodes, not Node',
};

/** The spec's engine; absent means `drover`. */
export function engineOf(value: unknown): Engine {
  if (value === undefined || value === null || value === '') return 'drover';
  if (typeof value !== 'string' || !ENGINES.includes(value as Engine))
    throw new SpecError('engine', `${shown(value)} is not one of ${ENGINES.join(', ')}`);
  return value as Engine;
}

/**
 * Refuses what the chosen engine does not understand, naming the field: an option of the other
 * engine, or TLS files for Dask (loopback only for local; an authority of its own for batch).
 */
export function checkEngineFit(
  engine: Engine,
  kind: ClusterKind,
  options: Record<string, unknown>,
  hasTls: boolean,
): void {
  const foreign = engine === 'dask' ? ONLY_DROVER : ONLY_DASK;
  for (const key of Object.keys(options))
    if (key in foreign)
      throw new SpecError(`options.${key}`, `is not a ${engine}-engine parameter: ${foreign[key]}`);
  if (engine !== 'dask') return;
  if (hasTls)
    throw new SpecError(
      'tls',
      kind === 'local'
        ? 'a local Dask cluster listens on 127.0.0.1 only; leave tls out'
        : 'a Dask batch cluster makes its own certificate authority; leave tls out',
    );
  const python = options.python;
  if (python !== undefined) {
    const problem =
      typeof python !== 'string' ? `${shown(python)} is not a path` : textProblem(python, BOUNDS.textLength);
    if (problem) throw new SpecError('options.python', problem);
  }
}

/**
 * The Dask-engine cluster whose scheduler this one's workers join (psiflow's pools of different job
 * shapes behind one scheduler), or undefined.
 */
export function joinsOf(value: unknown, engine: Engine): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > BOUNDS.nameLength || hasControlCharacter(value))
    throw new SpecError('joins', `${shown(value)} is not a cluster name`);
  if (engine !== 'dask')
    throw new SpecError(
      'joins',
      'only Dask-engine clusters join another cluster by name; Drover-engine ones share a scheduler in TypeScript (JobQueueCluster.start({ scheduler }))',
    );
  return value;
}
