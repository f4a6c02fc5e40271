import type { Future } from './future.js';

/** A result of `mapStream`: the value and the position of its item in the input. */
export interface Streamed<R> {
  value: R;
  index: number;
}

/**
 * Submits a task per item while at most `window` are unfinished, and yields each value as its task
 * finishes (in the order they finish), releasing it at once. Memory stays bounded by `window`
 * however many items there are, and `items` is read only as fast as the window frees up.
 *
 * #### Notes
 * When the consumer stops early (`break`) or a task fails (the error is thrown from the loop), the
 * tasks still in flight are cancelled and released.
 */
export async function* streamResults<T, R>(
  submit: (item: T) => Future<R>,
  items: Iterable<T> | AsyncIterable<T>,
  window: number,
): AsyncGenerator<Streamed<R>, void, undefined> {
  const source =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();
  const inFlight = new Map<Future<R>, number>();
  const settled: Array<Future<R>> = [];
  let wake: (() => void) | null = null;
  let next = 0;
  let exhausted = false;

  const fill = async (): Promise<void> => {
    while (!exhausted && inFlight.size < window) {
      const item = await source.next();
      if (item.done) {
        exhausted = true;
        return;
      }
      const future = submit(item.value);
      inFlight.set(future, next++);
      void future.settled().then(() => {
        settled.push(future);
        wake?.();
      });
    }
  };

  try {
    await fill();
    while (inFlight.size > 0) {
      while (settled.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      // Everything that settled meanwhile is fetched together (one request per worker).
      const batch = settled.splice(0);
      const outcomes = await Promise.allSettled(batch.map((future) => future.result()));
      const indices = batch.map((future) => inFlight.get(future)!);
      for (const future of batch) {
        inFlight.delete(future);
        future.release();
      }
      // Refill before handing the values over, so the cluster works while the consumer does.
      await fill();
      for (let i = 0; i < batch.length; i++) {
        const outcome = outcomes[i]!;
        if (outcome.status === 'rejected') throw outcome.reason;
        yield { value: outcome.value, index: indices[i]! };
      }
    }
  } finally {
    for (const future of inFlight.keys()) {
      future.cancel();
      future.release();
    }
    await (source as Partial<AsyncIterator<T>>).return?.();
  }
}
