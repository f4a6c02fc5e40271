import { createLogger } from '../logger.js';
import type { AdaptOptions } from './cluster.js';

const log = createLogger('adaptive');

/** What the controller needs from a cluster. Counts are in the cluster's scaling unit (workers or jobs). */
export interface AdaptiveTarget {
  /** Units requested so far, including those still starting or pending in a queue. */
  requested(): number;
  /** Tasks queued or running, and slots one unit adds. */
  demand(): { tasks: number; slotsPerUnit: number };
  /** Units with nothing to do, which could be retired now. */
  idleUnits(): number;
  scaleUp(units: number): Promise<void>;
  /** Retires up to `units` idle units. */
  retireIdle(units: number): Promise<void>;
}

/**
 * Adaptive scaling: adds capacity at once when work waits, removes it only after several looks in a
 * row found it idle (hysteresis), and never removes a unit that is running tasks. Capacity still
 * starting (a pending batch job) counts, so a slow queue does not cause repeated submissions.
 */
export class AdaptiveController {
  private timer: NodeJS.Timeout | null = null;
  private idleLooks = 0;
  private busy = false;
  readonly minimum: number;
  readonly maximum: number;

  constructor(
    private readonly target: AdaptiveTarget,
    options: AdaptOptions,
  ) {
    // The cluster passes bounds in its own unit: workers (local) or jobs (job queues, converted).
    this.minimum = options.minimum ?? options.minimumJobs ?? 0;
    this.maximum = options.maximum ?? options.maximumJobs ?? Infinity;
    if (!(this.minimum >= 0) || !(this.maximum >= this.minimum)) {
      throw new RangeError(
        `adapt: need 0 ≤ minimum ≤ maximum, got minimum=${this.minimum}, maximum=${this.maximum}`,
      );
    }
    this.waitCount = options.waitCount ?? 3;
    this.timer = setInterval(() => void this.step(), options.intervalMs ?? 1000);
    this.timer.unref();
    void this.step();
  }

  private readonly waitCount: number;

  /** The number of units the current work calls for, within [minimum, maximum]. */
  desired(): number {
    const { tasks, slotsPerUnit } = this.target.demand();
    const wanted = Math.ceil(tasks / Math.max(slotsPerUnit, 1));
    return Math.min(this.maximum, Math.max(this.minimum, wanted));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async step(): Promise<void> {
    if (this.busy || !this.timer) return;
    this.busy = true;
    try {
      const desired = this.desired();
      const requested = this.target.requested();
      if (desired > requested) {
        this.idleLooks = 0;
        await this.target.scaleUp(desired - requested);
      } else if (desired < requested) {
        if (++this.idleLooks >= this.waitCount) {
          const removable = Math.min(requested - desired, this.target.idleUnits());
          if (removable > 0) await this.target.retireIdle(removable);
          this.idleLooks = 0;
        }
      } else {
        this.idleLooks = 0;
      }
    } catch (error) {
      // A refused submit or a failed retire must not end the program; the next look tries again.
      log.warn(`adaptive scaling step failed: ${(error as Error).message}`);
    } finally {
      this.busy = false;
    }
  }
}
