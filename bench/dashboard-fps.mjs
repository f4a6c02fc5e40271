/* global window, document, Event, requestAnimationFrame -- the page.evaluate callback runs in Chromium */
// Frames per second of the dashboard's task stream in Chromium while a LocalCluster runs as many
// tasks per second as it can (target: ≥ 30 frames/s at 20,000 tasks/s). Reports the real task rate,
// and the job-script preview's latency from a keystroke to the new script on screen (target < 100 ms).
//
//   node bench/dashboard-fps.mjs [--seconds 10] [--workers 2] [--out bench/results/dashboard-fps.json]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../scripts/chromium.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    workers: { type: 'string', default: '2' },
    out: { type: 'string', default: 'bench/results/dashboard-fps.json' },
  },
});
const seconds = Number(values.seconds);
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (m) => process.stderr.write(`[dashboard-fps] ${m}\n`);
const home = mkdtempSync(join(tmpdir(), 'drover-bench-'));
const token = 'bench-' + Math.random().toString(36).slice(2);
const children = [];
let context;

async function cleanup() {
  await context?.close().catch(() => undefined);
  // The load first (it stops between waves), then the manager and its cluster.
  for (const c of children.reverse()) {
    if (c.exitCode !== null) continue;
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  }
  rmSync(home, { recursive: true, force: true });
}

try {
  const serve = spawn(process.execPath, [join(root, 'core/bin/drover.mjs'), 'serve', '--port', '0'], {
    env: {
      ...process.env,
      DROVER_TOKEN: token,
      XDG_STATE_HOME: join(home, 'state'),
      XDG_CONFIG_HOME: join(home, 'config'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(serve);
  const url = await new Promise((resolve) => {
    let out = '';
    serve.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      const m = /Drover dashboard: (http:\/\/[^/]+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  const call = async (method, path, body) =>
    (
      await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${token}` },
        body: body && JSON.stringify(body),
      })
    ).json();
  const cluster = await call('POST', '/api/clusters', {
    kind: 'local',
    name: 'bench',
    scale: Number(values.workers),
  });
  const address = /"(ws:[^"]+)"/.exec(cluster.clientCode)[1];
  log(`cluster with ${cluster.workers.connected} workers at ${cluster.schedulerAddress}`);

  const profile = join(home, 'chromium');
  context = await launchChromium(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${url}/?token=${token}`);
  await page.locator('.drover-card.drover-watched').waitFor();

  // Job-script preview: from a keystroke in the form to the new script on screen (target < 100 ms).
  await page.getByLabel('Kind').selectOption('slurm');
  await page.getByLabel('Cores').fill('8');
  await page.locator('[data-field="options.memory"] input').fill('16GB');
  await page.getByTestId('preview').filter({ hasText: '--cpus-per-task=8' }).waitFor();
  const previewMs = [];
  for (let i = 1; i <= 20; i++) {
    const walltime = `0${i % 10}:${String(10 + i).padStart(2, '0')}:00`;
    const ms = await page.evaluate(async (value) => {
      const input = document.querySelector('[data-field="options.walltime"] input');
      const preview = document.querySelector('[data-testid="preview"]');
      const started = performance.now();
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      while (!preview.textContent.includes(`-t ${value}`)) await new Promise((r) => setTimeout(r, 1));
      return performance.now() - started;
    }, walltime);
    previewMs.push(ms);
  }
  previewMs.sort((a, b) => a - b);
  const preview = {
    median_ms: Number(previewMs[10].toFixed(1)),
    max_ms: Number(previewMs.at(-1).toFixed(1)),
    samples: 20,
  };
  log(`preview: median ${preview.median_ms} ms, max ${preview.max_ms} ms over 20 edits`);

  const load = spawn(process.execPath, [join(root, 'bench/dashboard-load.mjs'), address], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(load);
  const rates = [];
  load.stdout.setEncoding('utf8').on('data', (c) => {
    for (const m of c.matchAll(/rate (\d+)/g)) rates.push(Number(m[1]));
  });
  log('warming up for 3 s');
  await new Promise((r) => setTimeout(r, 3000));
  const ratesBefore = rates.length;
  const result = await page.evaluate(async (ms) => {
    const d = window.droverDashboard;
    const start = { frames: d.chart.stats.frames, tasks: d.model.stream.tasksReceived, t: performance.now() };
    let rafs = 0;
    let worst = 0;
    let prev = performance.now();
    await new Promise((resolve) => {
      const tick = (now) => {
        rafs++;
        worst = Math.max(worst, now - prev);
        prev = now;
        if (now - start.t < ms) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    const elapsed = (performance.now() - start.t) / 1000;
    return {
      framesPerSecond: (d.chart.stats.frames - start.frames) / elapsed,
      animationFramesPerSecond: rafs / elapsed,
      worstFrameMs: worst,
      tasksReceivedPerSecond: (d.model.stream.tasksReceived - start.tasks) / elapsed,
      lastDrawMs: d.chart.stats.lastDrawMs,
      rectsDrawnLastFrame: d.chart.stats.rectsDrawn,
      barsVisibleLastFrame: d.chart.stats.barsVisible,
      barsHeld: d.model.stream.size,
    };
  }, seconds * 1000);
  const measured = rates.slice(ratesBefore);
  const tasksPerSecond = measured.reduce((a, b) => a + b, 0) / Math.max(measured.length, 1);
  await page.screenshot({ path: join(root, 'bench/results/dashboard-fps.png') }).catch(() => undefined);
  const report = {
    date: new Date().toISOString(),
    machine: `${(await import('node:os')).cpus().length} cores`,
    seconds,
    workers: Number(values.workers),
    tasksPerSecond: Math.round(tasksPerSecond),
    ...Object.fromEntries(Object.entries(result).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    preview,
  };
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
} finally {
  await cleanup();
}
