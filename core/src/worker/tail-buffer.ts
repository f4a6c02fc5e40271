/**
 * The last `capacity` bytes of a byte stream, kept in a fixed ring so a command that prints gigabytes
 * costs the worker `capacity` bytes of memory, not the whole output.
 */
export class TailBuffer {
  /** How many bytes the buffer keeps at most. */
  readonly capacity: number;
  private readonly ring: Buffer;
  /** Where the next byte goes; once the ring is full it is also where the oldest byte sits. */
  private end = 0;
  private full = false;
  private seen = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new RangeError(`TailBuffer capacity must be a non-negative integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.ring = Buffer.alloc(capacity);
  }

  /** Total bytes pushed so far, kept or not. */
  get bytesSeen(): number {
    return this.seen;
  }

  /** Appends a chunk, overwriting the oldest bytes once the ring is full. */
  push(chunk: Uint8Array): void {
    this.seen += chunk.length;
    const cap = this.capacity;
    if (cap === 0 || chunk.length === 0) return;
    if (chunk.length >= cap) {
      // Only the chunk's own last `cap` bytes can survive; copy them in one go.
      this.ring.set(chunk.subarray(chunk.length - cap));
      this.end = 0;
      this.full = true;
      return;
    }
    const first = Math.min(chunk.length, cap - this.end);
    this.ring.set(chunk.subarray(0, first), this.end);
    const rest = chunk.length - first;
    if (rest > 0) {
      this.ring.set(chunk.subarray(first), 0);
      this.end = rest;
      this.full = true;
    } else {
      this.end += first;
      if (this.end === cap) {
        this.end = 0;
        this.full = true;
      }
    }
  }

  /** The kept bytes, oldest first. */
  bytes(): Buffer {
    if (!this.full) return Buffer.from(this.ring.subarray(0, this.end));
    return Buffer.concat([this.ring.subarray(this.end), this.ring.subarray(0, this.end)]);
  }

  /**
   * The kept bytes decoded as UTF-8.
   *
   * #### Notes
   * When older bytes were dropped the cut may fall inside a multi-byte character; its orphaned
   * continuation bytes (at most 3) are skipped so the tail does not start with U+FFFD.
   */
  toString(): string {
    const bytes = this.bytes();
    let start = 0;
    if (this.seen > this.capacity) {
      while (start < 3 && start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
    }
    return bytes.subarray(start).toString('utf8');
  }
}
