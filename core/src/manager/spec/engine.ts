import { BOUNDS, shown, textProblem } from '../../validation/bounds.js';
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
 * engine, TLS files (a local Dask cluster listens on loopback only), a batch kind the Dask engine
 * does not start yet.
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
  if (kind !== 'local')
    throw new SpecError(
      'engine',
      `the Dask engine starts local clusters in this version; a ${kind} cluster runs the Drover engine`,
    );
  if (hasTls) throw new SpecError('tls', 'a local Dask cluster listens on 127.0.0.1 only; leave tls out');
  const python = options.python;
  if (python !== undefined) {
    const problem =
      typeof python !== 'string' ? `${shown(python)} is not a path` : textProblem(python, BOUNDS.textLength);
    if (problem) throw new SpecError('options.python', problem);
  }
}
