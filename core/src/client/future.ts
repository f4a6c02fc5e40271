import { TaskReference } from '../protocol/codec.js';

/** Where a task stands, as the client knows it. */
export type FutureStatus = 'pending' | 'finished' | 'error' | 'cancelled';

/** What a future needs from its client; implemented by {@link Client}. */
export interface FutureOwner {
  resultOf(key: string): Promise<unknown>;
  statusOf(key: string): FutureStatus;
  settled(key: string): Promise<void>;
  cancelKeys(keys: string[]): void;
  releaseKey(key: string): void;
}

/**
 * Futures someone is awaiting. Holding them here keeps them from being collected (and their results
 * released) while `gather(map(…))` waits on futures nothing else refers to.
 */
const awaited = new Map<Future, number>();

function hold<T>(future: Future, promise: Promise<T>): Promise<T> {
  awaited.set(future, (awaited.get(future) ?? 0) + 1);
  const letGo = (): void => {
    const count = awaited.get(future)! - 1;
    if (count === 0) awaited.delete(future);
    else awaited.set(future, count);
  };
  promise.then(letGo, letGo);
  return promise;
}

const collected = new FinalizationRegistry<{ owner: FutureOwner; key: string }>(({ owner, key }) =>
  owner.releaseKey(key),
);

/**
 * The result of a task that may not have finished. Awaitable: `await future` gives the value or
 * throws the task's error ({@link RemoteTaskError}).
 *
 * #### Notes
 * A future can be passed as an argument of another task; the worker receives the value. The task's
 * result is kept on the cluster while any future for it exists: call {@link release} (or drop the
 * future and let it be garbage-collected) to free it.
 */
export class Future<T = unknown> extends TaskReference implements PromiseLike<T> {
  private released = false;

  /** @internal Created by the client. */
  constructor(
    readonly key: string,
    private readonly owner: FutureOwner,
  ) {
    super();
    collected.register(this, { owner, key }, this);
  }

  get status(): FutureStatus {
    return this.owner.statusOf(this.key);
  }

  /** The value, fetched from the worker that holds it. */
  result(): Promise<T> {
    return hold(this, this.owner.resultOf(this.key) as Promise<T>);
  }

  then<A = T, B = never>(
    onValue?: ((value: T) => A | PromiseLike<A>) | null,
    onError?: ((error: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.result().then(onValue, onError);
  }

  /** Resolves once the task finished, erred or was cancelled (without fetching the value). */
  settled(): Promise<void> {
    return hold(this, this.owner.settled(this.key));
  }

  cancel(): void {
    this.owner.cancelKeys([this.key]);
  }

  /** Lets the cluster forget the result (once no other future refers to it). */
  release(): void {
    if (this.released) return;
    this.released = true;
    collected.unregister(this);
    this.owner.releaseKey(this.key);
  }
}
