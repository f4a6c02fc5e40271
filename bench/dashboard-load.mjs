// Load for bench/dashboard-fps.mjs: as many no-op tasks as the cluster takes, in waves of
// `wave` tasks, until SIGTERM; prints "rate <tasks/s>" once a second.
//   node bench/dashboard-load.mjs <ws://address?token=…> [wave]
import { Client } from '@drover/core';

const [address, waveText = '20000'] = process.argv.slice(2);
const wave = Number(waveText);
const client = await Client.connect(address);
const noop = (x) => x;
let stop = false;
let done = 0;
let last = { t: performance.now(), done: 0 };
process.on('SIGTERM', () => (stop = true));
const timer = setInterval(() => {
  const now = performance.now();
  process.stdout.write(`rate ${(((done - last.done) * 1000) / (now - last.t)).toFixed(0)}\n`);
  last = { t: now, done };
}, 1000);
const items = Array.from({ length: wave }, (_, i) => i);
while (!stop) {
  const futures = client.map(noop, items, { pure: false });
  await client.gather(futures);
  for (const f of futures) f.release();
  done += wave;
}
clearInterval(timer);
await client.close();
process.exit(0);
