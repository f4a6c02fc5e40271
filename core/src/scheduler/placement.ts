import type { Requirement } from './requirements.js';
import type { TaskRecord } from './task-record.js';
import type { WorkerRecord } from './worker-record.js';

/** How much queued work (in ms of expected run time) a worker may hold beyond its free cores. */
const PREFETCH_WINDOW_MS = 10;
/** Upper bound of tasks queued on one worker beyond its cores. */
const MAX_PREFETCH = 1000;
/** Tasks longer than this are never queued behind another on a busy worker. */
const PREFETCH_LONGEST_MS = 1000;

/**
 * Whether `worker` could ever run tasks of `requirement` (resources it declares, its pools).
 */
export function canEverRun(worker: WorkerRecord, requirement: Requirement): boolean {
  if (requirement.pool !== null && !worker.identity.pools.includes(requirement.pool)) return false;
  for (const name in requirement.resources) {
    if (requirement.resources[name]! > (worker.capacity[name] ?? 0)) return false;
  }
  return true;
}

/**
 * Picks the worker for `task`, or null when none has room now.
 *
 * #### Notes
 * Cores may be committed beyond capacity by a prefetch allowance sized from the task group's mean
 * duration, so a worker never idles between short tasks; other resources (GPUs, memory, custom) are
 * never oversubscribed. Among workers with room, the one holding most of the task's input bytes wins,
 * then the least loaded. A worker whose deadline (walltime) falls before the task would finish is
 * skipped.
 */
export function chooseWorker(
  task: TaskRecord,
  workers: Iterable<WorkerRecord>,
  now: number,
): WorkerRecord | null {
  const requirement = task.requirement;
  const meanMs = task.group.meanDurationMs;
  let best: WorkerRecord | null = null;
  let bestBytes = -1;
  let bestLoad = Infinity;
  for (const worker of workers) {
    if (worker.status !== 'running' || !canEverRun(worker, requirement)) continue;
    if (!hasRoom(worker, requirement, meanMs)) continue;
    const deadline = worker.identity.deadline;
    if (deadline !== null && now + (meanMs ?? 0) > deadline) continue;
    const bytes = task.deps ? localBytes(task, worker) : 0;
    const load = worker.committed.cores! / Math.max(worker.capacity.cores!, 1);
    if (bytes > bestBytes || (bytes === bestBytes && load < bestLoad)) {
      best = worker;
      bestBytes = bytes;
      bestLoad = load;
    }
  }
  return best;
}

/**
 * Whether `task` could go to `worker` now: it serves the task's pool, has the resources free
 * (within the prefetch allowance) and enough time before its deadline.
 */
export function fitsNow(task: TaskRecord, worker: WorkerRecord, now: number): boolean {
  const meanMs = task.group.meanDurationMs;
  if (worker.status !== 'running' || !canEverRun(worker, task.requirement)) return false;
  const deadline = worker.identity.deadline;
  if (deadline !== null && now + (meanMs ?? 0) > deadline) return false;
  return hasRoom(worker, task.requirement, meanMs);
}

function hasRoom(worker: WorkerRecord, requirement: Requirement, meanMs: number | null): boolean {
  for (const name in requirement.resources) {
    const amount = requirement.resources[name]!;
    const capacity = worker.capacity[name] ?? 0;
    let limit = capacity;
    if (name === 'cores') limit += prefetchAllowance(capacity, meanMs);
    if ((worker.committed[name] ?? 0) + amount > limit) return false;
  }
  return true;
}

/**
 * Extra cores' worth of queued tasks: about PREFETCH_WINDOW_MS of work per core, at least one task
 * per core. None until the group's duration is known, nor for tasks over PREFETCH_LONGEST_MS: a long task queued behind another on a busy worker while a second
 * worker idles would cost far more than the round trip prefetching saves.
 */
function prefetchAllowance(cores: number, meanMs: number | null): number {
  if (meanMs === null || meanMs > PREFETCH_LONGEST_MS) return 0;
  // At least one task per core waits ready, so the round trip to the scheduler never idles a slot.
  return Math.min(
    MAX_PREFETCH,
    Math.max(cores, Math.floor((cores * PREFETCH_WINDOW_MS) / Math.max(meanMs, 0.001))),
  );
}

function localBytes(task: TaskRecord, worker: WorkerRecord): number {
  let bytes = 0;
  for (const dep of task.deps!) if (dep.worker === worker) bytes += dep.nbytes + 1;
  return bytes;
}
