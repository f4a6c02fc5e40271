// A scheduler alone in a process started with --expose-gc: prints its address and token as JSON,
// then answers each 'measure' line on stdin with its memory after a full garbage collection.
import { createInterface } from 'node:readline';
import { Scheduler } from '@drover/core';

const scheduler = await Scheduler.start();
process.stdout.write(JSON.stringify({ address: scheduler.address, token: scheduler.token }) + '\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'measure') return;
  globalThis.gc();
  globalThis.gc();
  process.stdout.write(JSON.stringify(process.memoryUsage()) + '\n');
});
process.stdin.on('end', () => scheduler.close().then(() => process.exit(0)));
process.on('SIGTERM', () => scheduler.close().then(() => process.exit(0)));
