/* global requestAnimationFrame -- the frame.evaluate callbacks run in the webview */
// The VS Code extension in a real VS Code (code-server) driven by Chromium: its activation time
// (bundle load + activate(), as it logs it) and the frames per second of the task-stream webview
// while a local cluster runs as many tasks per second as it can (target ≥ 30 fps at 20,000 tasks/s).
//
//   node bench/vscode.mjs [--seconds 10] [--workers 2] [--wave 5000] [--out bench/results/vscode.json]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  awaitNoProcesses,
  makeRunHome,
  removeRunHome,
  startCodeServer,
} from '../vscode-ext/e2e/code-server.mjs';
import {
  managerEndpoint,
  managerRequest,
  openWorkbench,
  REPO,
  runCommand,
  webviewFrame,
} from '../vscode-ext/e2e/workbench.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    workers: { type: 'string', default: '2' },
    wave: { type: 'string', default: '5000' },
    out: { type: 'string', default: 'bench/results/vscode.json' },
  },
});
const log = (m) => process.stderr.write(`[vscode] ${m}\n`);
const home = makeRunHome({ 'drover.keepAliveSeconds': 3, 'drover.autoOpenTaskStream': false });
const extDir = path.join(REPO, 'vscode-ext');
let server, browser, endpoint, load;
try {
  server = await startCodeServer(home);
  const payload = encodeURIComponent(
    JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${server.authority}${extDir}`]]),
  );
  ({ browser } = await openWorkbench(home, server, `&payload=${payload}`));
  const page = browser.pages()[0];

  // Activation: the extension logs it in its output channel's log file.
  const activation = await waitForActivationLog(home.tmp);
  log(`activation: ${activation.total} ms (of which loading the bundle ${activation.loading} ms)`);

  // The manager starts with the first command; the cluster is made through its API, as any window could.
  await runCommand(page, 'Drover: Preview Job Script');
  endpoint = await managerEndpoint(home);
  const cluster = await managerRequest(endpoint, 'POST', 'api/clusters', {
    kind: 'local',
    name: 'bench',
    scale: Number(values.workers),
  });
  await runCommand(page, 'Drover: Show Task Stream');
  const stream = await webviewFrame(page, 'canvas.drover-stream-canvas');
  const address = /"(ws:[^"]+)"/.exec(cluster.clientCode)[1];
  load = spawn(process.execPath, [path.join(REPO, 'bench/dashboard-load.mjs'), address, values.wave], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rates = [];
  load.stdout.setEncoding('utf8').on('data', (c) => {
    for (const m of c.matchAll(/rate (\d+)/g)) rates.push(Number(m[1]));
  });
  log('warming up for 3 s');
  await new Promise((r) => setTimeout(r, 3000));
  const before = rates.length;
  const measured = await stream.evaluate(
    async (ms) => {
      const { chart, model } = globalThis.droverTaskStream;
      const start = { frames: chart.stats.frames, tasks: model.tasksReceived, t: performance.now() };
      let rafs = 0,
        worst = 0,
        prev = performance.now();
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
      const s = (performance.now() - start.t) / 1000;
      return {
        framesPerSecond: (chart.stats.frames - start.frames) / s,
        animationFramesPerSecond: rafs / s,
        worstFrameMs: worst,
        tasksReceivedPerSecond: (model.tasksReceived - start.tasks) / s,
        rectsLastFrame: chart.stats.rectsDrawn,
        lastDrawMs: chart.stats.lastDrawMs,
        lanes: model.lanes.length,
        tasksReceived: model.tasksReceived,
      };
    },
    Number(values.seconds) * 1000,
  );
  await page.screenshot({ path: path.join(REPO, 'test-artifacts/vscode/bench-task-stream.png') });
  const during = rates.slice(before);
  const result = {
    date: new Date().toISOString(),
    activationMs: activation.total,
    bundleLoadMs: activation.loading,
    webview: {
      framesPerSecond: Number(measured.framesPerSecond.toFixed(1)),
      animationFramesPerSecond: Number(measured.animationFramesPerSecond.toFixed(1)),
      worstFrameMs: Number(measured.worstFrameMs.toFixed(1)),
      lastDrawMs: Number(measured.lastDrawMs.toFixed(2)),
      barsLastFrame: measured.rectsLastFrame,
      lanes: measured.lanes,
      tasksReceived: measured.tasksReceived,
    },
    tasksPerSecond: Math.round(during.reduce((a, b) => a + b, 0) / Math.max(1, during.length)),
    tasksReceivedByWebviewPerSecond: Math.round(measured.tasksReceivedPerSecond),
    workers: Number(values.workers),
    // The machine is shared: its load says how much the numbers above can be trusted.
    loadAverage1m: os.loadavg()[0],
    cores: os.cpus().length,
  };
  console.log(JSON.stringify(result, null, 2));
  fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
  fs.writeFileSync(values.out, JSON.stringify(result, null, 2));
} finally {
  if (load && load.exitCode === null) {
    load.kill('SIGTERM');
    await new Promise((r) => load.once('exit', r));
  }
  endpoint?.release();
  await browser?.close().catch(() => {});
  await server?.stop();
  const left = await awaitNoProcesses(home, 20_000);
  if (left.length) log(`left processes (killed): ${left.map((p) => p.cmd).join('; ')}`);
  removeRunHome(home);
}

/** Finds "activated in X ms (loading Y ms)" in the Drover output channel's log file. */
async function waitForActivationLog(dir, ms = 120_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    for (const file of fs.readdirSync(dir, { recursive: true })) {
      if (!String(file).endsWith('Drover.log')) continue;
      const m = /activated in ([\d.]+) ms \(loading ([\d.]+) ms\)/.exec(
        fs.readFileSync(path.join(dir, file), 'utf8'),
      );
      if (m) return { total: Number(m[1]), loading: Number(m[2]) };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the extension did not log its activation');
}
