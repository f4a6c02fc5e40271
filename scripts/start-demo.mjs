// The demo behind `npm start`: `drover serve`, a local cluster named "demo", and a workload that
// keeps the task stream busy (three task groups of varied length), until Ctrl-C or SIGTERM.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client } from '@drover/core';

const cli = fileURLToPath(new URL('../core/bin/drover.mjs', import.meta.url));
const token = process.env.DROVER_TOKEN || randomBytes(24).toString('base64url');
const port = process.env.DROVER_PORT ?? '8787';
const serve = spawn(process.execPath, [cli, 'serve', '--port', port, '--exit-with-stdin'], {
  env: { ...process.env, DROVER_TOKEN: token },
  stdio: ['pipe', 'pipe', 'inherit'],
});
let stopping = false;
let client = null;
const exited = new Promise((resolve) => serve.once('exit', resolve));

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the demo…');
  await client?.close().catch(() => undefined);
  if (serve.exitCode === null) serve.kill('SIGTERM');
  const timer = setTimeout(() => serve.kill('SIGKILL'), 6000);
  await exited;
  clearTimeout(timer);
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
serve.once('exit', (code) => {
  if (!stopping) {
    console.error(`drover serve exited (${code}); stopping`);
    process.exit(1);
  }
});

const url = await new Promise((resolve, reject) => {
  let out = '';
  serve.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
    const m = /Drover dashboard: (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  setTimeout(() => reject(new Error(`drover serve did not start:\n${out}`)), 20_000).unref();
});
const base = new URL(url).origin;
const api = async (method, path, body) => {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${json.error?.message}`);
  return json;
};
const cluster = await api('POST', '/api/clusters', { kind: 'local', name: 'demo', scale: 2 });
console.log(
  `\nDrover dashboard: ${url}\n\nA local cluster "demo" with 2 workers runs a demo workload. Press Ctrl-C to stop.\n`,
);
client = await Client.connect(/"(ws:[^"]+)"/.exec(cluster.clientCode)[1]);

// Each round: many short "load" tasks, fewer "fit" tasks, then "score" tasks; results are released.
const spin = (x, ms) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
  return x;
};
let round = 0;
while (!stopping) {
  round++;
  const groups = { load: [400, 1], fit: [40, 25], score: [150, 4] };
  for (const [group, [count, ms]] of Object.entries(groups)) {
    if (stopping) break;
    const futures = [];
    for (let i = 0; i < count; i++)
      futures.push(client.with({ key: `${group}-${round}-${i}` }).submit(spin, i, Math.random() * ms * 2));
    await client.gather(futures).catch(() => undefined);
    for (const f of futures) f.release();
  }
}
