import type { TaskBatch } from '../manager/api-types.js';

/**
 * The task-stream bars a chart draws, in typed arrays used as a ring buffer: no object per bar, so
 * hundreds of thousands of bars cost a few megabytes and no garbage-collection pauses.
 */
export class TaskStreamModel {
  lanes: string[] = [];
  groups: string[] = [];
  /** Lane index → display row (lanes sorted by worker name, then slot). */
  rowOfLane: number[] = [];
  readonly start: Float64Array;
  readonly duration: Float32Array;
  readonly lane: Uint16Array;
  readonly group: Uint16Array;
  readonly outcome: Uint8Array;
  readonly count: Uint32Array;
  readonly keys: string[];
  /** Bars ever added; the newest is at `(written - 1) % capacity`. */
  written = 0;
  /** Tasks represented by the bars received so far. */
  tasksReceived = 0;
  /** Server clock minus this browser's clock, ms. */
  clockOffset = 0;
  /** Bumped on every change, so a chart redraws only when something moved. */
  version = 0;

  constructor(readonly capacity = 200_000) {
    this.start = new Float64Array(capacity);
    this.duration = new Float32Array(capacity);
    this.lane = new Uint16Array(capacity);
    this.group = new Uint16Array(capacity);
    this.outcome = new Uint8Array(capacity);
    this.count = new Uint32Array(capacity);
    this.keys = new Array<string>(capacity);
  }

  /** Bars currently held. */
  get size(): number {
    return Math.min(this.written, this.capacity);
  }

  /** Forgets every bar and table. */
  clear(): void {
    this.lanes = [];
    this.groups = [];
    this.rowOfLane = [];
    this.written = 0;
    this.tasksReceived = 0;
    this.version++;
  }

  /** Adds a batch from the server (a `reset` batch starts over with complete tables). */
  add(batch: TaskBatch): void {
    if (batch.reset) this.clear();
    this.clockOffset = batch.now - Date.now();
    if (batch.newLanes.length > 0) {
      this.lanes.push(...batch.newLanes);
      this.sortLanes();
    }
    this.groups.push(...batch.newGroups);
    const bars = batch.bars;
    for (let b = 0, k = 0; b < bars.length; b += 6, k++) {
      const i = this.written % this.capacity;
      this.lane[i] = bars[b]!;
      this.group[i] = bars[b + 1]!;
      this.outcome[i] = bars[b + 2]!;
      this.start[i] = batch.t0 + bars[b + 3]!;
      this.duration[i] = bars[b + 4]!;
      this.count[i] = bars[b + 5]!;
      this.keys[i] = batch.keys[k] ?? '';
      this.written++;
    }
    this.tasksReceived += batch.tasks;
    this.version++;
  }

  /** Index of the oldest bar held. */
  get first(): number {
    return Math.max(0, this.written - this.capacity);
  }

  private sortLanes(): void {
    const order = this.lanes
      .map((name, index) => ({ name, index }))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    this.rowOfLane = new Array<number>(this.lanes.length);
    order.forEach((entry, row) => (this.rowOfLane[entry.index] = row));
  }
}
