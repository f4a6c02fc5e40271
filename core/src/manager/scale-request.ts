import { SpecError } from './spec/spec-error.js';
import { MAX_SCALE, wholeNumber, type ValidSpec } from './spec/validate-spec.js';

/**
 * The workers a scale request asks for: a number counts workers; `{"jobs": n}` counts batch jobs of
 * `processes` workers each (as `scale({ jobs })` in code).
 */
export function workersOf(request: unknown, spec: ValidSpec): number {
  if (typeof request === 'object' && request !== null && !Array.isArray(request)) {
    const keys = Object.keys(request);
    if (keys.length !== 1 || keys[0] !== 'jobs')
      throw new SpecError('scale', 'must be a number of workers, or {"jobs": n} for batch jobs');
    if (spec.kind === 'local')
      throw new SpecError('scale.jobs', 'a local cluster has no jobs; scale it by workers');
    const jobs = wholeNumber((request as { jobs: unknown }).jobs, 'scale.jobs', 0, MAX_SCALE);
    if (jobs === undefined) throw new SpecError('scale.jobs', 'is required: the number of jobs');
    const processes = typeof spec.options.processes === 'number' ? spec.options.processes : 1;
    return wholeNumber(jobs * processes, 'scale', 0, MAX_SCALE)!;
  }
  const count = wholeNumber(request, 'scale', 0, MAX_SCALE);
  if (count === undefined) throw new SpecError('scale', 'is required: the number of workers');
  return count;
}
