import { cancelJobs } from './batch-client.js';
import { getBatchSystem } from './backends/index.js';
import type { LeftoverJob, LeftoverJobsFile } from './leftover-jobs.js';
import { commandRunner, type CommandOptions } from './run-command.js';

/** What {@link cancelOrphanedJobs} did. */
export interface OrphanCleanup {
  readonly cancelled: readonly string[];
  readonly errors: readonly Error[];
}

/**
 * Cancels the jobs of launchers on this host that died without closing their clusters, then
 * forgets them; jobs in `keep` are being adopted by a new launcher and are left running. Errors are
 * collected, not thrown, so one bad record does not block the others.
 */
export async function cancelOrphanedJobs(
  file: LeftoverJobsFile,
  options: CommandOptions = {},
  keep: ReadonlySet<string> = new Set(),
): Promise<OrphanCleanup> {
  const cancelled: string[] = [];
  const errors: Error[] = [];
  for (const orphan of await file.findOrphans()) {
    const result = await cancelLeftoverJobs(
      orphan.jobs.filter((job) => !keep.has(job.jobId)),
      options,
    );
    cancelled.push(...result.cancelled);
    errors.push(...result.errors);
    if (result.errors.length === 0) await file.forget(orphan);
  }
  return { cancelled, errors };
}

/** Cancels remembered jobs, one command per batch system (and commands directory). */
export async function cancelLeftoverJobs(
  jobs: readonly LeftoverJob[],
  options: CommandOptions = {},
): Promise<OrphanCleanup> {
  const cancelled: string[] = [];
  const errors: Error[] = [];
  const groups = new Map<string, LeftoverJob[]>();
  for (const job of jobs) {
    const key = `${job.kind}\0${job.binDirectory ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), job]);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    const run = commandRunner({
      ...options,
      ...(first.binDirectory ? { binDirectory: first.binDirectory } : {}),
    });
    const ids = group.map((j) => j.jobId);
    try {
      await cancelJobs(getBatchSystem(first.kind), ids, run);
      cancelled.push(...ids);
    } catch (e) {
      errors.push(e as Error);
    }
  }
  return { cancelled, errors };
}
