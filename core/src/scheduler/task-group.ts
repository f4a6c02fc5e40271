import { emptyStateCounts, type TaskState } from './task-record.js';

/**
 * Tasks of one kind, named by the key's prefix (`inc-3f2a…` belongs to `inc`): counts by state for
 * progress bars and a running mean duration that placement uses to decide how far to prefetch.
 */
export class TaskGroup {
  readonly counts: Record<TaskState, number> = emptyStateCounts();
  /** Tasks of the group the scheduler still knows. */
  total = 0;
  /** Mean execution time in ms, or null before the first completion. */
  meanDurationMs: number | null = null;
  private samples = 0;

  constructor(readonly name: string) {}

  /** Folds in one execution time; recent ones weigh more once there are 20 samples. */
  recordDuration(ms: number): void {
    this.samples = Math.min(this.samples + 1, 20);
    const previous = this.meanDurationMs ?? ms;
    this.meanDurationMs = previous + (ms - previous) / this.samples;
  }
}

/** The group name of a key: the part before the last `-`, or the whole key. */
export function groupName(key: string): string {
  const dash = key.lastIndexOf('-');
  return dash > 0 ? key.slice(0, dash) : key;
}

/** Interns groups so every task of a group shares one record. */
export class TaskGroups {
  private readonly groups = new Map<string, TaskGroup>();

  get(key: string): TaskGroup {
    const name = groupName(key);
    let group = this.groups.get(name);
    if (!group) {
      group = new TaskGroup(name);
      this.groups.set(name, group);
    }
    return group;
  }

  /** Drops groups with no task left. */
  prune(): void {
    for (const [name, group] of this.groups) if (group.total === 0) this.groups.delete(name);
  }

  values(): IterableIterator<TaskGroup> {
    return this.groups.values();
  }
}
