import { runsBefore, type TaskRecord } from './task-record.js';

/**
 * Ready tasks of one requirement, highest priority first, then oldest first (a binary heap).
 *
 * #### Notes
 * Tasks that left the `queued` state while inside (cancelled, released, requeued elsewhere) are
 * skipped when they reach the top instead of being searched for, which keeps removal O(1).
 */
export class ReadyQueue {
  private heap: TaskRecord[] = [];
  /** Entries whose task left the queued state without being popped. */
  private stale = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Tasks inside that are still queued. */
  get queued(): number {
    return this.heap.length - this.stale;
  }

  /**
   * Notes that a task inside left the `queued` state. When most entries are stale the heap is
   * rebuilt, so released tasks do not stay referenced (and their memory held) until popped.
   */
  noteStale(): void {
    if (++this.stale <= 1024 || this.stale * 2 < this.heap.length) return;
    const live = this.heap.filter((task) => task.state === 'queued');
    this.heap = [];
    this.stale = 0;
    for (const task of live) this.push(task);
  }

  push(task: TaskRecord): void {
    const heap = this.heap;
    let i = heap.push(task) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!runsBefore(task, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = task;
  }

  /** The next queued task without removing it, or undefined. */
  peek(): TaskRecord | undefined {
    while (this.heap.length > 0 && this.heap[0]!.state !== 'queued') {
      this.pop();
      if (this.stale > 0) this.stale--;
    }
    return this.heap[0];
  }

  pop(): TaskRecord | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && runsBefore(heap[right]!, heap[left]!) ? right : left;
        if (!runsBefore(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
