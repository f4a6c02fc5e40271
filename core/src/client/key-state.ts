import type { RemoteError } from '../protocol/messages.js';
import type { FutureStatus } from './future.js';

/** The client's record of one key: status, where the result is, the value once fetched, waiters. */
export class KeyState {
  status: FutureStatus = 'pending';
  workerId: number | null = null;
  error: RemoteError | null = null;
  value: unknown = undefined;
  hasValue = false;
  fetching = false;
  /** Counts `memory` notifications, so a fetch can tell that the result moved while it ran. */
  generation = 0;
  /** Futures alive for this key. */
  references = 0;
  valueWaiters: Array<{ resolve: (value: unknown) => void; reject: (error: unknown) => void }> | null = null;
  settleWaiters: Array<() => void> | null = null;

  get isSettled(): boolean {
    return this.status !== 'pending';
  }

  get hasWaiters(): boolean {
    return this.valueWaiters !== null || this.settleWaiters !== null;
  }

  wakeSettled(): void {
    const waiters = this.settleWaiters;
    this.settleWaiters = null;
    for (const wake of waiters ?? []) wake();
  }

  resolveValue(value: unknown): void {
    this.value = value;
    this.hasValue = true;
    const waiters = this.valueWaiters;
    this.valueWaiters = null;
    for (const waiter of waiters ?? []) waiter.resolve(value);
  }

  rejectValue(error: unknown): void {
    const waiters = this.valueWaiters;
    this.valueWaiters = null;
    for (const waiter of waiters ?? []) waiter.reject(error);
  }
}
