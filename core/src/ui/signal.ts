/**
 * A list of listeners for one kind of change, in the manner of Lumino's `ISignal`: models emit,
 * views connect and disconnect when they are disposed.
 */
export class Signal<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Calls `listener` on every emit until the returned function is called. */
  connect(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls every listener connected now, in the order they connected. */
  emit(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}
