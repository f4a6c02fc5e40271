import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { pack } from 'msgpackr';
import { PROTOCOL_VERSION } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { startDrover, waitFor, type DroverProcess } from '../helpers/processes.js';

/** Resident memory of a process, bytes (from /proc, as `ps` reads it). */
function rss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(/(\d+)/.exec(line)![1]) * 1024;
}

const MiB = 2 ** 20;
/** The attacker's payload, reused for every socket (its memory, not the target's). */
const CHUNK = Buffer.alloc(4 * MiB, 0x91);

/** A client-to-server WebSocket frame header (binary, masked with a zero key) for `length` bytes. */
function frameHeader(length: number): Buffer {
  if (length <= 125) return Buffer.from([0x82, 0x80 | length, 0, 0, 0, 0]);
  const header = Buffer.alloc(14);
  header[0] = 0x82;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header; // the last four bytes, the mask key, stay zero
}

/**
 * A raw socket: the WebSocket upgrade (with a token header when given), an optional hello frame,
 * then a frame announcing 64 MiB and as much of it as the target reads. Resolves with the HTTP
 * status when the upgrade is refused, else the code of the target's close frame (1006: none).
 */
function flood(address: string, options: { hello?: object; header?: string } = {}): Promise<number> {
  const url = new URL(address);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = Buffer.alloc(0);
    let upgraded = false;
    socket.on('error', () => {});
    socket.on('close', () => {
      const text = received.toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0);
      if (status !== 101) return resolve(status);
      const frames = received.subarray(received.indexOf('\r\n\r\n') + 4);
      resolve(frames[0] === 0x88 && frames.length >= 4 ? frames.readUInt16BE(2) : 1006);
    });
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (upgraded || !received.includes('\r\n\r\n')) return;
      upgraded = true;
      if (options.hello) {
        const hello = pack([['hello', options.hello]]);
        socket.write(Buffer.concat([frameHeader(hello.length), hello]));
      }
      socket.write(frameHeader(64 * MiB));
      // Keep writing until the target hangs up (it should after the header).
      const pump = (sent: number): void => {
        if (socket.destroyed || sent >= 64 * MiB) return;
        if (socket.write(CHUNK)) setImmediate(() => pump(sent + CHUNK.length));
        else socket.once('drain', () => pump(sent + CHUNK.length));
      };
      pump(0);
    });
    socket.write(
      `GET / HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${Buffer.alloc(16, 7).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
        (options.header ? `Authorization: Bearer ${options.header}\r\n` : '') +
        '\r\n',
    );
  });
}

/** Four sockets of each kind of unauthenticated abuse; returns every close code. */
async function attack(address: string, token: string, role: string): Promise<number[]> {
  const hello = { role, protocol: PROTOCOL_VERSION, token };
  const attempts: Array<Promise<number>> = [];
  for (let i = 0; i < 4; i++) {
    attempts.push(flood(address)); // no token at all
    attempts.push(flood(address, { hello })); // the token only in the hello: frames stay small
    attempts.push(flood(address, { header: 'a-guess' })); // a wrong token at the upgrade
  }
  return Promise.all(attempts);
}

async function scheduler(token: string): Promise<{ process: DroverProcess; address: string }> {
  const child = startDrover(['scheduler', '--token', token]);
  onCleanup(() => child.stop());
  const [, address] = await child.line(/Scheduler at (ws:\/\/\S+)/);
  return { process: child, address: address! };
}

describe('unauthenticated sockets with large frames', () => {
  it('the scheduler refuses 64 MiB frames from peers without the token and its memory stays where it was', async () => {
    const token = 'flood-' + Math.random().toString(36).slice(2);
    const { process: child, address } = await scheduler(token);
    const pid = child.child.pid!;
    const before = rss(pid);
    const codes = await attack(address, token, 'client');
    // Too large: the target hangs up on reading the frame header (1009, or a reset before it).
    expect(codes.filter((c) => c === 1009 || c === 1006)).toHaveLength(8);
    expect(codes.filter((c) => c === 401)).toHaveLength(4); // wrong token: refused at the upgrade
    const grown = rss(pid) - before;
    expect(grown, `scheduler grew by ${(grown / MiB).toFixed(1)} MiB`).toBeLessThan(32 * MiB);
    // Still serving: a real client connects and gets an answer.
    const status = await fetch(address.replace('ws:', 'http:') + '/health', {
      signal: AbortSignal.timeout(10_000),
    });
    expect(status.status).toBe(200);
  });

  it("a worker's data server refuses them the same way", async () => {
    const token = 'flood-' + Math.random().toString(36).slice(2);
    const { address } = await scheduler(token);
    const worker = startDrover(['worker', address, '--token', token, '--nthreads', '1']);
    onCleanup(() => worker.stop());
    let dataAddress = '';
    await waitFor(
      async () => {
        const status = (await (
          await fetch(`${address.replace('ws:', 'http:')}/status?token=${token}`)
        ).json()) as { workers: Array<{ dataAddress: string }> };
        dataAddress = status.workers[0]?.dataAddress ?? '';
        return dataAddress !== '';
      },
      15_000,
      'the worker to join',
    );
    const pid = worker.child.pid!;
    const before = rss(pid);
    const codes = await attack(dataAddress, token, 'peer');
    expect(codes.filter((c) => c === 1009 || c === 1006)).toHaveLength(8);
    expect(codes.filter((c) => c === 401)).toHaveLength(4);
    const grown = rss(pid) - before;
    expect(grown, `worker grew by ${(grown / MiB).toFixed(1)} MiB`).toBeLessThan(32 * MiB);
  });
});
