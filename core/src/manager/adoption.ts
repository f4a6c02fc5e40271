import type { LeftoverJob, LeftoverJobsFile } from '../jobqueue/leftover-jobs.js';
import type { DeadManager } from './state-store.js';

/**
 * What a restored batch cluster takes over from a manager that died: its scheduler's port and
 * token (so the jobs' workers, which keep trying to reach that address, join again) and its jobs.
 */
export interface Adoption {
  port: number;
  token: string;
  jobs: LeftoverJob[];
}

/** The key of a dead manager's cluster in the map {@link findAdoptions} returns. */
export function adoptionKey(pid: number, cluster: string): string {
  return `${pid}/${cluster}`;
}

/**
 * For each batch cluster of the dead managers that recorded its scheduler, the jobs it left in
 * the queue: those are followed by the restored cluster instead of being cancelled.
 */
export async function findAdoptions(
  dead: readonly DeadManager[],
  leftovers: LeftoverJobsFile,
): Promise<Map<string, Adoption>> {
  const orphans = await leftovers.findOrphans();
  const adoptions = new Map<string, Adoption>();
  for (const manager of dead) {
    const left = orphans.find((orphan) => orphan.pid === manager.pid)?.jobs ?? [];
    for (const record of manager.clusters) {
      const jobs = left.filter((job) => job.cluster === record.name);
      if (record.scheduler && jobs.length > 0) {
        adoptions.set(adoptionKey(manager.pid, record.name), { ...record.scheduler, jobs });
      }
    }
  }
  return adoptions;
}
