/** Results this worker holds, encoded once and served as bytes to peers and clients. */
export class DataStore {
  private readonly values = new Map<string, Uint8Array>();
  bytes = 0;

  get size(): number {
    return this.values.size;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  get(key: string): Uint8Array | undefined {
    return this.values.get(key);
  }

  set(key: string, value: Uint8Array): void {
    this.delete(key);
    this.values.set(key, value);
    this.bytes += value.length;
  }

  delete(key: string): void {
    const old = this.values.get(key);
    if (!old) return;
    this.bytes -= old.length;
    this.values.delete(key);
  }

  clear(): void {
    this.values.clear();
    this.bytes = 0;
  }

  /** `[key, bytes | null]` for each key, null where this worker does not hold it. */
  entries(keys: readonly string[]): Array<[string, Uint8Array | null]> {
    return keys.map((key) => [key, this.values.get(key) ?? null]);
  }
}
