import type { ClusterModel } from '@drover/core/ui';

/** The units Scale… offers. */
export type ScaleUnit = 'jobs' | 'workers' | 'cores' | 'memory';

/** Bytes of `16GB`, `64 GiB`, `512MiB`, `1.5TB` or a plain number; null when unreadable. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?)b?\s*$/i.exec(text);
  if (!m) return null;
  const power = ' kmgtp'.indexOf((m[2] || ' ').toLowerCase());
  return Math.round(Number(m[1]) * (m[3] ? 1024 : 1000) ** power);
}

/**
 * The cluster's own size unit (workers for local, jobs for batch) for a target in another unit:
 * enough workers or jobs to hold that many workers, cores or bytes. A string is the reason it
 * cannot be converted, naming the option that is missing.
 */
export function toClusterScale(cluster: ClusterModel, unit: ScaleUnit, amount: number): number | string {
  const o = cluster.spec.options ?? {};
  const batch = cluster.jobs !== null;
  if (unit === (batch ? 'jobs' : 'workers')) return amount;
  if (unit === 'jobs') return 'a local cluster has no jobs: scale it by workers, cores or memory';
  const per = (value: unknown): number | null =>
    typeof value === 'number' ? value : typeof value === 'string' ? parseSize(value) : null;
  const unitSize =
    unit === 'workers'
      ? per(o.processes ?? 1)
      : unit === 'cores'
        ? per(batch ? o.cores : (o.threadsPerWorker ?? 1))
        : per(batch ? o.memory : o.memoryLimit);
  if (!unitSize || unitSize <= 0)
    return `options.${unit === 'memory' ? (batch ? 'memory' : 'memoryLimit') : batch ? 'cores' : 'threadsPerWorker'} is not set on ${cluster.name}, so ${unit} cannot be converted to ${batch ? 'jobs' : 'workers'}`;
  return Math.ceil(amount / unitSize);
}

/** The workers `jobs` batch jobs of `cluster` hold (`processes` each): the manager scales by workers. */
export function workersOfJobs(cluster: ClusterModel, jobs: number): number {
  const processes = cluster.spec.options?.processes;
  return jobs * (typeof processes === 'number' ? processes : 1);
}
