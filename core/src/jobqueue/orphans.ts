import { cancelJobs } from './batch-client.js';
import { getBatchSystem } from './backends/index.js';
import type { LeftoverJobsFile } from './leftover-jobs.js';
import { commandRunner, type CommandOptions } from './run-command.js';

/** What {@link cancelOrphanedJobs} did. */
export interface OrphanCleanup {
  readonly cancelled: readonly string[];
  readonly errors: readonly Error[];
}

/**
 * Cancels the jobs of launchers on this host that died without closing their clusters, then
 * forgets them. Errors are collected, not thrown, so one bad record does not block the others.
 */
export async function cancelOrphanedJobs(
  file: LeftoverJobsFile,
  options: CommandOptions = {},
): Promise<OrphanCleanup> {
  const cancelled: string[] = [];
  const errors: Error[] = [];
  for (const orphan of await file.findOrphans()) {
    let ok = true;
    const groups = new Map<string, typeof orphan.jobs>();
    for (const job of orphan.jobs) {
      const key = `${job.kind}\0${job.binDirectory ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), job]);
    }
    for (const jobs of groups.values()) {
      const first = jobs[0]!;
      const run = commandRunner({
        ...options,
        ...(first.binDirectory ? { binDirectory: first.binDirectory } : {}),
      });
      const ids = jobs.map((j) => j.jobId);
      try {
        await cancelJobs(getBatchSystem(first.kind), ids, run);
        cancelled.push(...ids);
      } catch (e) {
        ok = false;
        errors.push(e as Error);
      }
    }
    if (ok) await file.forget(orphan);
  }
  return { cancelled, errors };
}
