import type { AdaptOptions } from '../cluster/cluster.js';
import type { DaskCounts } from './dask-http.js';

/** Polls in a row that must ask for fewer workers before any is retired (no flapping). */
const SHRINK_AFTER = 3;

/**
 * Adaptive sizing from the Dask scheduler's own answer (`adaptive_target`, which weighs pending
 * work, occupancy and memory), clamped to the bounds: Drover decides nothing Dask would not.
 */
export class DaskAdaptive {
  bounds: { minimum: number; maximum: number } | null = null;
  private lowPolls = 0;

  start(options: AdaptOptions): void {
    const minimum = options.minimum ?? 0;
    const maximum = options.maximum ?? Math.max(minimum, 1);
    if (!Number.isInteger(minimum) || !Number.isInteger(maximum) || minimum < 0 || maximum < minimum)
      throw new RangeError(`adapt: need whole numbers 0 ≤ minimum ≤ maximum, got ${minimum}..${maximum}`);
    this.bounds = { minimum, maximum };
    this.lowPolls = 0;
  }

  stop(): void {
    this.bounds = null;
  }

  /** The worker count to run now, or null when not adaptive. */
  target(current: number, counts: DaskCounts): number | null {
    if (!this.bounds) return null;
    const wanted = Math.min(this.bounds.maximum, Math.max(this.bounds.minimum, counts.desiredWorkers));
    if (wanted >= current) {
      this.lowPolls = 0;
      return wanted;
    }
    return ++this.lowPolls >= SHRINK_AFTER ? wanted : current;
  }
}
