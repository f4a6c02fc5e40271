import { availableParallelism, totalmem } from 'node:os';
import { parseBytes } from '../../units/memory.js';
import { SpecError } from './spec-error.js';

/** What a worker process takes when the spec gives no memory limit: Node's own footprint. */
export const WORKER_BASELINE_BYTES = 80 * 2 ** 20;
/** Task slots per core a local cluster may have; beyond that more slots only slow every task. */
export const SLOTS_PER_CORE = 8;

/** The machine local workers run on. */
export interface Machine {
  memoryBytes: number;
  cores: number;
}

/** This machine. */
export function thisMachine(): Machine {
  return { memoryBytes: totalmem(), cores: availableParallelism() };
}

/**
 * Checks that `workers` local workers with these options fit this machine: their memory (the
 * limit each is given, else a worker's baseline) within its memory, their task slots within
 * {@link SLOTS_PER_CORE} per core.
 *
 * @throws SpecError on `field` (e.g. `scale`, `adapt.maximum`) saying what fits.
 */
export function checkLocalFits(
  workers: number,
  options: Record<string, unknown>,
  field: string,
  machine: Machine = thisMachine(),
): void {
  if (workers === 0) return;
  const limit = options.memoryLimit;
  const perWorker =
    limit === undefined || limit === null || limit === ''
      ? WORKER_BASELINE_BYTES
      : Math.max(parseBytes(limit as string | number, 'options.memoryLimit'), WORKER_BASELINE_BYTES);
  const threads = typeof options.threadsPerWorker === 'number' ? options.threadsPerWorker : 1;
  const byMemory = Math.floor(machine.memoryBytes / perWorker);
  const bySlots = Math.floor((machine.cores * SLOTS_PER_CORE) / threads);
  const fits = Math.min(byMemory, bySlots);
  if (workers <= fits) return;
  const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(1);
  const why =
    byMemory <= bySlots
      ? `${workers} workers × ${gib(perWorker)} GiB need more than this machine's ${gib(machine.memoryBytes)} GiB`
      : `${workers} workers × ${threads} threads exceed ${SLOTS_PER_CORE} task slots per core on this machine's ${machine.cores} cores`;
  throw new SpecError(
    field,
    `${why}; at most ${fits} fit here. Use fewer workers, or a batch cluster for more`,
  );
}
