import type { WorkerIdentity } from '../protocol/messages.js';

/** Checks the identity in a worker's hello; throws naming the first bad field. */
export function parseWorkerIdentity(raw: unknown): WorkerIdentity {
  if (typeof raw !== 'object' || raw === null) throw new Error('missing worker identity');
  const w = raw as Record<string, unknown>;
  const text = (field: string): string => {
    if (typeof w[field] !== 'string') throw new Error(`'${field}' must be a string`);
    return w[field] as string;
  };
  const number = (field: string, nullable = false): number | null => {
    const value = w[field];
    if (nullable && (value === null || value === undefined)) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new Error(`'${field}' must be a number ≥ 0`);
    return value;
  };
  const resources: Record<string, number> = {};
  if (typeof w.resources === 'object' && w.resources !== null) {
    for (const [name, amount] of Object.entries(w.resources)) {
      if (typeof amount !== 'number' || !(amount >= 0))
        throw new Error(`resource '${name}' must be a number ≥ 0`);
      resources[name] = amount;
    }
  }
  const pools = Array.isArray(w.pools) ? w.pools.filter((p): p is string => typeof p === 'string') : [];
  const nthreads = number('nthreads')!;
  if (nthreads < 1) throw new Error(`'nthreads' must be at least 1`);
  return {
    name: text('name'),
    dataAddress: text('dataAddress'),
    host: text('host'),
    pid: number('pid')!,
    nthreads,
    resources,
    pools,
    memoryLimit: number('memoryLimit', true),
    jobId: typeof w.jobId === 'string' ? w.jobId : null,
    deadline: number('deadline', true),
  };
}
