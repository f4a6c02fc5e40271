import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { pack } from 'msgpackr';
import { PROTOCOL_VERSION } from '@drover/core';
import { startCluster } from '../helpers/cluster.js';

/** Opens a raw socket, sends `frames` (after an optional valid hello), resolves with the close code and reason. */
function abuse(
  address: string,
  frames: Array<Buffer | string>,
  hello?: object,
): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(address);
    ws.on('error', () => {});
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('open', () => {
      if (hello) ws.send(pack([['hello', hello]]));
      for (const frame of frames) ws.send(frame, { binary: typeof frame !== 'string' });
    });
  });
}

describe('bad input on the wire', () => {
  it('100 connections sending garbage are closed one by one; a normal client still gets correct results', async () => {
    const { cluster, client } = await startCluster({ workers: 2, scheduler: { maxPayload: 1024 * 1024 } });
    const address = cluster.schedulerAddress;
    const hello = { role: 'client', protocol: PROTOCOL_VERSION, token: cluster.token };
    const attacks: Array<Promise<{ code: number; reason: string }>> = [];
    for (let i = 0; i < 100; i++) {
      switch (i % 10) {
        case 0:
          attacks.push(abuse(address, [randomBytes(1 + (i % 200))]));
          break;
        case 1:
          attacks.push(abuse(address, [Buffer.from([0xc1, 0xc1, 0xc1])]));
          break; // never-used msgpack byte
        case 2:
          attacks.push(abuse(address, ['a text frame']));
          break;
        case 3:
          attacks.push(abuse(address, [pack({ not: 'an array' })]));
          break;
        case 4:
          attacks.push(abuse(address, [pack([['hello', { ...hello, token: 'guess' }]])]));
          break;
        case 5:
          attacks.push(abuse(address, [pack([['hello', { ...hello, protocol: 999 }]])]));
          break;
        case 6:
          attacks.push(abuse(address, [randomBytes(100 * 1024)]));
          break; // oversized before hello
        case 7:
          attacks.push(abuse(address, [pack([['no-such-operation', 1, 2]])], hello));
          break;
        case 8:
          attacks.push(abuse(address, [pack([['submit', 'k', 999, 'not bytes', null, 1, 0]])], hello));
          break;
        case 9:
          attacks.push(abuse(address, [randomBytes(2 * 1024 * 1024)], hello));
          break; // over maxPayload
      }
    }
    const closes = await Promise.all(attacks);
    const codes = new Map<number, number>();
    for (const { code } of closes) codes.set(code, (codes.get(code) ?? 0) + 1);
    expect(closes.every(({ code }) => code !== 1000)).toBe(true);
    expect(codes.get(4000)).toBeGreaterThanOrEqual(30); // malformed
    expect(codes.get(4001)).toBe(10); // wrong token
    expect(codes.get(4002)).toBe(10); // protocol version
    expect(codes.get(4004)).toBe(10); // unknown operation
    expect(codes.get(1009)).toBeGreaterThanOrEqual(10); // too large
    expect(closes.find((c) => c.code === 4001)!.reason).toMatch(/invalid token/);
    // Nothing else was disturbed.
    expect(cluster.scheduler.workers.size).toBe(2);
    const values = await client.gather(
      client.map(
        (x: number) => x * 3,
        Array.from({ length: 1000 }, (_, i) => i),
      ),
    );
    expect(values).toEqual(Array.from({ length: 1000 }, (_, i) => i * 3));
  });
});

describe('close reasons', () => {
  it('are cut to 123 bytes between characters, so multi-byte text never breaks the close frame', async () => {
    const { truncateUtf8 } = await import('../../core/dist/protocol/connection.js');
    const reason = `bad operation 'x': ${'é'.repeat(100)}`;
    const cut = truncateUtf8(reason, 123);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
    expect(reason.startsWith(cut)).toBe(true);
    expect(truncateUtf8('😀'.repeat(40), 123)).toBe('😀'.repeat(30));
  });
});
