/**
 * The entry of the single-file worker bundle (`core/dist/bundle/drover-worker.mjs`), which a batch
 * job runs with nothing but `node` on the compute node. The same file is the worker's task threads:
 * a thread is started on it with {@link TASK_THREAD} as its workerData.
 */
import { isMainThread, workerData } from 'node:worker_threads';

const TASK_THREAD = { droverRole: 'task-thread' } as const;

if (!isMainThread && (workerData as typeof TASK_THREAD | undefined)?.droverRole === TASK_THREAD.droverRole) {
  await import('../worker/thread-entry.js');
} else {
  const { useThreadEntry } = await import('../worker/thread-pool.js');
  useThreadEntry(new URL(import.meta.url), TASK_THREAD);
  await import('./main.js');
}
