import type { TaskEvent } from '../protocol/messages.js';

/**
 * The task stream: every task start and finish, kept in a bounded ring buffer and pushed to
 * subscribers in batches.
 *
 * #### Notes
 * Subscribers get one call per `batchMs` with everything recorded since, never one call per task:
 * at 20,000 tasks/s that is what keeps a browser chart and the sockets feeding it calm.
 */
export class TaskStream {
  private readonly ring: (TaskEvent | undefined)[];
  /** Number of events ever recorded; the sequence number of the next one. */
  private count = 0;
  private pending: TaskEvent[] = [];
  private readonly subscribers = new Set<(events: TaskEvent[]) => void>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly capacity = 100_000,
    private readonly batchMs = 50,
  ) {
    this.ring = new Array(capacity);
  }

  record(event: TaskEvent): void {
    this.ring[this.count % this.capacity] = event;
    this.count++;
    if (this.subscribers.size === 0) return;
    this.pending.push(event);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.batchMs);
      this.timer.unref();
    }
  }

  /** Number of events ever recorded (the sequence number of the next one). */
  get recorded(): number {
    return this.count;
  }

  /** Events with sequence number ≥ `since` still in the buffer, and the next sequence number. */
  since(since = 0, limit = this.capacity): { events: TaskEvent[]; next: number } {
    const first = Math.max(since, this.count - this.capacity, 0);
    const last = Math.min(this.count, first + limit);
    const events: TaskEvent[] = [];
    for (let i = first; i < last; i++) events.push(this.ring[i % this.capacity]!);
    return { events, next: last };
  }

  /** Calls `listener` with batches of new events until the returned function is called. */
  subscribe(listener: (events: TaskEvent[]) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.subscribers.clear();
  }

  private flush(): void {
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    for (const listener of this.subscribers) listener(batch);
  }
}
