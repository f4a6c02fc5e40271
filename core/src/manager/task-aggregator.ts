import type { TaskEvent } from '../protocol/messages.js';
import { OUTCOMES, type TaskBatch } from './api-types.js';

interface OpenBar {
  lane: number;
  group: number;
  outcome: number;
  start: number;
  stop: number;
  count: number;
  key: string;
}

/**
 * Turns the scheduler's task events into compact bars for the browser.
 *
 * #### Notes
 * At 20,000 tasks/s a chart cannot draw (or even receive) one bar per task, and at any zoom a
 * person could read, back-to-back tasks of one group on one slot look like one bar anyway. So a task
 * that starts within `mergeGapMs` of the previous one on the same lane, with the same group and
 * outcome, extends that bar and bumps its count. Lanes and groups are sent as names once, then as
 * indexes.
 */
export class TaskStreamAggregator {
  private readonly lanes = new Map<string, number>();
  private readonly groups = new Map<string, number>();
  private newLanes: string[] = [];
  private newGroups: string[] = [];
  private readonly open = new Map<number, OpenBar>();
  private closed: OpenBar[] = [];
  private tasks = 0;

  constructor(private readonly mergeGapMs = 4) {}

  /** Adds a batch of events (task starts, whose `stop` is 0, are not bars yet and are skipped). */
  add(events: readonly TaskEvent[]): void {
    for (const e of events) {
      if (e.outcome === 'processing') continue;
      this.tasks++;
      const lane = this.index(this.lanes, this.newLanes, `${e.worker} #${e.slot}`);
      const group = this.index(this.groups, this.newGroups, e.group);
      const outcome = Math.max(0, OUTCOMES.indexOf(e.outcome));
      const bar = this.open.get(lane);
      if (
        bar &&
        bar.group === group &&
        bar.outcome === outcome &&
        e.start >= bar.start &&
        e.start - bar.stop <= this.mergeGapMs
      ) {
        bar.stop = Math.max(bar.stop, e.stop);
        bar.count++;
        continue;
      }
      if (bar) this.closed.push(bar);
      this.open.set(lane, { lane, group, outcome, start: e.start, stop: e.stop, count: 1, key: e.key });
    }
  }

  /** Everything since the last flush as one batch, or null when nothing happened. */
  flush(now = Date.now()): TaskBatch | null {
    const bars = [...this.closed, ...this.open.values()];
    if (bars.length === 0 && this.newLanes.length === 0) return null;
    // Open bars are sent as they are; a run that continues starts a new bar in the next batch.
    this.open.clear();
    this.closed = [];
    const t0 = bars.reduce((min, b) => Math.min(min, b.start), Infinity);
    const base = Number.isFinite(t0) ? t0 : now;
    const flat: number[] = [];
    const keys: string[] = [];
    for (const b of bars) {
      flat.push(b.lane, b.group, b.outcome, b.start - base, Math.max(0, b.stop - b.start), b.count);
      keys.push(b.key);
    }
    const batch: TaskBatch = {
      now,
      t0: base,
      newLanes: this.newLanes,
      newGroups: this.newGroups,
      bars: flat,
      keys,
      tasks: this.tasks,
    };
    this.newLanes = [];
    this.newGroups = [];
    this.tasks = 0;
    return batch;
  }

  /** Lane and group tables so far, for a subscriber that joins late. */
  tables(): { lanes: string[]; groups: string[] } {
    return { lanes: [...this.lanes.keys()], groups: [...this.groups.keys()] };
  }

  private index(table: Map<string, number>, fresh: string[], name: string): number {
    let i = table.get(name);
    if (i === undefined) {
      i = table.size;
      table.set(name, i);
      fresh.push(name);
    }
    return i;
  }
}
