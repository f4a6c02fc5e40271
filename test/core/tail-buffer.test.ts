import { describe, expect, it } from 'vitest';

import { TailBuffer } from '../../core/dist/worker/tail-buffer.js';

/** Feeds `text` to a buffer in chunks of the given sizes (cycled) and returns what it kept. */
function feed(capacity: number, text: string, chunkSizes: number[]): TailBuffer {
  const tail = new TailBuffer(capacity);
  const bytes = Buffer.from(text);
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = chunkSizes[i % chunkSizes.length] ?? 1;
    tail.push(bytes.subarray(at, at + size));
    at += size;
  }
  return tail;
}

describe('TailBuffer', () => {
  const text = 'abcdefghijklmnopqrstuvwxyz0123456789';

  it.each([[[1]], [[3]], [[7, 2]], [[10]], [[11, 1]], [[40]]])(
    'keeps exactly the last bytes whatever the chunking (%j)',
    (sizes) => {
      const tail = feed(10, text, sizes);
      expect(tail.toString()).toBe(text.slice(-10));
      expect(tail.bytesSeen).toBe(text.length);
    },
  );

  it('keeps everything while the output is shorter than the capacity', () => {
    expect(feed(100, 'short', [2]).toString()).toBe('short');
  });

  it('drops a multi-byte character cut in half at the start of the tail', () => {
    // 'é' is 2 bytes; keeping 4 bytes of 'aé' + 'xyz'… cuts into it.
    expect(feed(4, 'aébcd', [1]).toString()).toBe('bcd');
  });

  it('keeps nothing with capacity 0', () => {
    expect(feed(0, text, [5]).toString()).toBe('');
  });
});
