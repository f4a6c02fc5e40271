import { JobQueueConfigError } from './errors.js';
import { parseBytes } from '../units/memory.js';

/** A scale request in any of dask-jobqueue's units; a plain number means workers. */
export type JobScaleRequest =
  | number
  | {
      readonly jobs?: number;
      readonly workers?: number;
      readonly cores?: number;
      readonly memory?: string | number;
    };

/** What one job provides. */
export interface JobShape {
  readonly processes: number;
  readonly cores: number;
  readonly memoryBytes: number;
}

/**
 * How many jobs a scale request needs, as dask-jobqueue counts: workers → ceil(workers / processes),
 * cores → ceil(cores / cores per job), memory → ceil(memory / memory per job), jobs as given. When
 * several are given the largest wins.
 *
 * @throws JobQueueConfigError naming the field that is not a count ≥ 0.
 */
export function jobsForScale(request: JobScaleRequest, shape: JobShape): number {
  const r = typeof request === 'number' ? { workers: request } : request;
  const count = (field: string, v: number | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!Number.isFinite(v) || v < 0) throw new JobQueueConfigError(field, `${v} is not a count ≥ 0`);
    return v;
  };
  const candidates: number[] = [];
  const jobs = count('jobs', r.jobs);
  if (jobs !== undefined) {
    if (!Number.isInteger(jobs))
      throw new JobQueueConfigError('jobs', `${jobs} is not a whole number of jobs`);
    candidates.push(jobs);
  }
  const workers = count('workers', r.workers);
  if (workers !== undefined) candidates.push(Math.ceil(workers / shape.processes));
  const cores = count('cores', r.cores);
  if (cores !== undefined) candidates.push(Math.ceil(cores / shape.cores));
  if (r.memory !== undefined) candidates.push(Math.ceil(parseBytes(r.memory, 'memory') / shape.memoryBytes));
  if (candidates.length === 0) {
    throw new JobQueueConfigError(
      'scale',
      'give a number of workers, or { jobs }, { workers }, { cores } or { memory }',
    );
  }
  return Math.max(...candidates);
}
