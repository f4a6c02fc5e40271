// The Drover half of the side-by-side benchmarks: the same workloads as bench/dask/workloads.py,
// 2 worker processes × 1 slot, a fresh LocalCluster per run, results as JSON.
//
//   node bench/drover/workloads.mjs --runs 3 --out results.json [--only name,...]
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client, LocalCluster } from '@drover/core';

const CLUSTER_WORKLOADS = ['start', 'map10k', 'tree10k', 'chain1k', 'sleep1k', 'sleep1k-timer'];
const ALL = [...CLUSTER_WORKLOADS, 'mem100k', 'million', 'million-stream'];
const log = (message) =>
  process.stderr.write(`[drover-bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (start) => (performance.now() - start) / 1000;
const range = (n) => Array.from({ length: n }, (_, i) => i);

const noop = (x) => x;
const add = (a, b) => a + b;
const inc = (x) => x + 1;
const sleep10ms = (x) => new Promise((resolve) => setTimeout(() => resolve(x), 10));
/**
 * Takes 10 ms to within a few microseconds: it blocks its thread like Python's time.sleep, then
 * spins the last 0.5 ms, because this machine's timers overshoot a 10 ms sleep by 0.2-0.3 ms.
 * The Dask side runs the same task.
 */
const exact10ms = (x) => {
  const until = performance.now() + 10;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 9.5);
  while (performance.now() < until);
  return x;
};

async function forgetAll(client, futures) {
  for (const f of futures) f.release();
  for (let i = 0; i < 200 && (await client.status()).tasks.total > 0; i++)
    await new Promise((r) => setTimeout(r, 25));
}

/** Per sleep workload and run: the seconds the tasks themselves took, summed. */
const sleepBusySeconds = { sleep1k: [], 'sleep1k-timer': [] };

async function timeSleeps(client, name, task) {
  const start = performance.now();
  const futures = client.map(task, range(1000), { pure: false });
  await client.gather(futures);
  const elapsed = seconds(start);
  // How long the tasks really ran: the engine's own share of the wall time is what is left.
  const keys = new Set(futures.map((f) => f.key));
  const events = (await client.getTaskStream()).events.filter(
    (e) => e.outcome === 'memory' && keys.has(e.key),
  );
  sleepBusySeconds[name].push(events.reduce((sum, e) => sum + (e.stop - e.start), 0) / 1000);
  await forgetAll(client, futures);
  return elapsed;
}

const timers = {
  async map10k(client) {
    const start = performance.now();
    const futures = client.map(noop, range(10_000), { pure: false });
    const values = await client.gather(futures);
    const elapsed = seconds(start);
    if (values[9999] !== 9999) throw new Error('map10k: wrong result');
    await forgetAll(client, futures);
    return elapsed;
  },
  async tree10k(client) {
    const impure = client.with({ pure: false });
    // Graph construction is excluded, as on the Dask side: the leaves are submitted first, the rest
    // as fast as the client builds it.
    const start = performance.now();
    let level = impure.map(noop, range(5000));
    const all = [...level];
    while (level.length > 1) {
      const next = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(impure.submit(add, level[i], level[i + 1]));
      if (level.length % 2 === 1) next.push(level.at(-1));
      all.push(...next.filter((f) => !level.includes(f)));
      level = next;
    }
    const total = await level[0];
    const elapsed = seconds(start);
    if (total !== (4999 * 5000) / 2) throw new Error('tree10k: wrong result');
    await forgetAll(client, all);
    return elapsed;
  },
  async chain1k(client) {
    const impure = client.with({ pure: false });
    const start = performance.now();
    let f = impure.submit(noop, 0);
    const all = [f];
    for (let i = 0; i < 1000; i++) all.push((f = impure.submit(inc, f)));
    const value = await f;
    const elapsed = seconds(start);
    if (value !== 1000) throw new Error('chain1k: wrong result');
    await forgetAll(client, all);
    return elapsed;
  },
  sleep1k: (client) => timeSleeps(client, 'sleep1k', exact10ms),
  'sleep1k-timer': (client) => timeSleeps(client, 'sleep1k-timer', sleep10ms),
};

async function runClusterWorkloads(selected, runs) {
  const results = Object.fromEntries(selected.map((name) => [name, []]));
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const cluster = await LocalCluster.start({ workers: 2, threadsPerWorker: 1 });
    const startSeconds = seconds(t0);
    const client = await Client.connect(cluster);
    try {
      if (selected.includes('start')) results.start.push(startSeconds);
      const warm = client.map(noop, range(200), { pure: false });
      await client.gather(warm);
      await forgetAll(client, warm);
      for (const name of selected) {
        if (name === 'start') continue;
        const elapsed = await timers[name](client);
        results[name].push(elapsed);
        log(`run ${run + 1}/${runs} ${name}: ${elapsed.toFixed(3)} s`);
      }
    } finally {
      await client.close();
      await cluster.close();
    }
  }
  return results;
}

function summarize(name, runs) {
  const m = median(runs);
  const out = { runs: runs.map((r) => Number(r.toFixed(4))), median: Number(m.toFixed(4)) };
  if (name === 'map10k') Object.assign(out, { tasks: 10000, tasks_per_s: Math.round(10000 / m) });
  if (name === 'tree10k') Object.assign(out, { tasks: 9999, tasks_per_s: Math.round(9999 / m) });
  if (name === 'chain1k')
    Object.assign(out, { tasks: 1001, ms_per_step: Number(((m * 1000) / 1000).toFixed(4)) });
  if (name in sleepBusySeconds) {
    // Engine efficiency = time the tasks really ran / (2 slots × wall): what is left is the engine's.
    const busy = sleepBusySeconds[name];
    const engine = runs.map((wall, i) => busy[i] / (2 * wall));
    Object.assign(out, {
      tasks: 1000,
      ideal_s: 5.0,
      efficiency: Number((5.0 / m).toFixed(4)),
      mean_task_ms: Number(median(busy).toFixed(3)),
      engine_efficiency: Number(median(engine).toFixed(4)),
    });
  }
  return out;
}

/** A scheduler in its own process (so its memory is its own), with gc() exposed for exact readings. */
async function startMeasuredScheduler() {
  const script = fileURLToPath(new URL('./measured-scheduler.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = [];
  let waiting = null;
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (waiting) {
        const w = waiting;
        waiting = null;
        w(line);
      } else lines.push(line);
    }
  });
  const next = () =>
    lines.length ? Promise.resolve(lines.shift()) : new Promise((resolve) => (waiting = resolve));
  const { address, token } = JSON.parse(await next());
  return {
    address,
    token,
    /** Heap and RSS after a full GC, in bytes. */
    async measure() {
      child.stdin.write('measure\n');
      return JSON.parse(await next());
    },
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
  };
}

async function mem100k(runs) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    const scheduler = await startMeasuredScheduler();
    try {
      const client = await Client.connect({ address: scheduler.address, token: scheduler.token });
      const idle = await scheduler.measure();
      // No workers: all 100,000 tasks stay queued in the scheduler.
      const futures = client.map(noop, range(100_000), { pure: false });
      for (let i = 0; i < 400 && (await client.status()).tasks.byState.queued < 100_000; i++)
        await new Promise((r) => setTimeout(r, 25));
      const queued = await scheduler.measure();
      for (const f of futures) f.release();
      for (let i = 0; i < 400 && (await client.status()).tasks.total > 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      const released = await scheduler.measure();
      await client.close();
      const sample = {
        idle_heap: idle.heapUsed,
        queued_heap: queued.heapUsed,
        released_heap: released.heapUsed,
        idle_rss: idle.rss,
        queued_rss: queued.rss,
        released_rss: released.rss,
        bytes_per_task: Math.round(
          (queued.heapUsed + queued.external - idle.heapUsed - idle.external) / 100_000,
        ),
        returned_fraction: Number(
          ((queued.heapUsed - released.heapUsed) / (queued.heapUsed - idle.heapUsed)).toFixed(3),
        ),
      };
      samples.push(sample);
      log(
        `run ${run + 1}/${runs} mem100k: ${sample.bytes_per_task} B/task, ${(sample.returned_fraction * 100).toFixed(0)} % given back`,
      );
    } finally {
      await scheduler.stop();
    }
  }
  const pick = (key) => median(samples.map((s) => s[key]));
  return {
    runs: samples.map((s) => s.bytes_per_task),
    median: pick('bytes_per_task'),
    tasks: 100000,
    bytes_per_task: pick('bytes_per_task'),
    idle_heap_mib: Number((pick('idle_heap') / 2 ** 20).toFixed(1)),
    queued_heap_mib: Number((pick('queued_heap') / 2 ** 20).toFixed(1)),
    released_heap_mib: Number((pick('released_heap') / 2 ** 20).toFixed(1)),
    queued_rss_mib: Number((pick('queued_rss') / 2 ** 20).toFixed(1)),
    returned_fraction: pick('returned_fraction'),
  };
}

/**
 * Runs `body(client)` on a fresh 2-worker cluster while sampling this process's RSS every 50 ms;
 * `body` returns its figures (with `tasks`), to which the peak RSS is added.
 */
async function withRssSampled(body) {
  const cluster = await LocalCluster.start({ workers: 2, threadsPerWorker: 1 });
  const client = await Client.connect(cluster);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  try {
    const figures = await body(client);
    return {
      ...figures,
      peak_rss_mib: Math.round(peakRss / 2 ** 20),
      peak_rss_bytes_per_task: Math.round(peakRss / figures.tasks),
    };
  } finally {
    clearInterval(sampler);
    await client.close();
    await cluster.close();
  }
}

/** Runs, median and rate of one timed pass over `done` tasks. */
const onePass = (done, elapsed) => ({
  runs: [Number(elapsed.toFixed(2))],
  median: Number(elapsed.toFixed(2)),
  tasks: done,
  tasks_per_s: Math.round(done / elapsed),
});

/** The same million tasks through mapStream: at most 10,000 in flight, values consumed as they come. */
async function millionStream() {
  const result = await withRssSampled(async (client) => {
    const start = performance.now();
    let done = 0;
    let sum = 0;
    for await (const { value } of client.mapStream(noop, lazyRange(1_000_000), { window: 10_000 })) {
      sum += value;
      done++;
    }
    const elapsed = seconds(start);
    if (sum !== (999_999 * 1_000_000) / 2) throw new Error('million-stream: wrong sum');
    return { ...onePass(done, elapsed), window: 10_000 };
  });
  log(`million-stream: ${result.tasks} tasks in ${result.median} s, peak RSS ${result.peak_rss_mib} MiB`);
  return result;
}

function* lazyRange(n) {
  for (let i = 0; i < n; i++) yield i;
}

/** Heap used after a full collection, or null when node runs without --expose-gc. */
function heapAfterGc() {
  if (typeof globalThis.gc !== 'function') return null;
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed + process.memoryUsage().external;
}

async function million() {
  const result = await withRssSampled(async (client) => {
    const before = heapAfterGc();
    const start = performance.now();
    const futures = client.map(noop, range(1_000_000), { pure: false });
    const submitted = seconds(start);
    let done = 0;
    for await (const { future } of client.asCompleted(futures)) {
      if (future.status !== 'finished') throw new Error(`million: task ${future.key} ${future.status}`);
      future.release();
      done++;
    }
    const elapsed = seconds(start);
    for (let i = 0; i < 400 && (await client.status()).tasks.total > 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    const status = await client.status();
    // What the client and scheduler still hold once every task is released (null without gc()).
    const after = heapAfterGc();
    return {
      ...onePass(done, elapsed),
      submit_s: Number(submitted.toFixed(2)),
      heap_kept_after_release_mib: before === null ? null : Number(((after - before) / 2 ** 20).toFixed(1)),
      worker_rss_mib: status.workers.map((w) => Math.round((w.metrics?.rss ?? 0) / 2 ** 20)),
      tasks_left_in_scheduler: status.tasks.total,
    };
  });
  log(
    `million: ${result.tasks} tasks in ${result.median} s, peak RSS ${result.peak_rss_mib} MiB, ` +
      `heap kept after release ${result.heap_kept_after_release_mib ?? '?'} MiB`,
  );
  return result;
}

async function main() {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '3' }, out: { type: 'string' }, only: { type: 'string' } },
  });
  const selected = values.only ? values.only.split(',') : ALL;
  for (const name of selected)
    if (!ALL.includes(name)) throw new Error(`--only: unknown workload '${name}' (known: ${ALL.join(', ')})`);
  const runs = Number(values.runs);
  const loadBefore = loadavg();
  const workloads = {};
  const clusterSelected = selected.filter((n) => CLUSTER_WORKLOADS.includes(n));
  if (clusterSelected.length > 0) {
    const raw = await runClusterWorkloads(clusterSelected, runs);
    for (const name of clusterSelected) workloads[name] = summarize(name, raw[name]);
  }
  if (selected.includes('mem100k')) workloads.mem100k = await mem100k(runs);
  // mapStream first: the process's RSS does not shrink after the plain million's 2.8 GiB peak.
  if (selected.includes('million-stream')) workloads['million-stream'] = await millionStream();
  if (selected.includes('million')) workloads.million = await million();
  const result = {
    engine: 'drover',
    version: JSON.parse(
      (await import('node:fs')).readFileSync(new URL('../../core/package.json', import.meta.url), 'utf8'),
    ).version,
    node: process.version,
    host: {
      cpus: (await import('node:os')).availableParallelism(),
      loadavg_before: loadBefore,
      loadavg_after: loadavg(),
    },
    config: { runs, workers: 2, threads_per_worker: 1, warmup_tasks: 200 },
    workloads,
  };
  const text = JSON.stringify(result, null, 2) + '\n';
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
}

await main();
process.exit(0);
