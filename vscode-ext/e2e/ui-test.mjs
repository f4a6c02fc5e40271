#!/usr/bin/env node
// UI test of the packaged extension in code-server, driven through Chromium like a user:
// palette → New Cluster… → fill the form → the preview follows → Start → the task-stream webview
// draws bars while tasks run; a markup-like name stays text; Stop Cluster from the palette.
// Writes its counts to $UI_REPORT and screenshots to test-artifacts/vscode/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  awaitNoProcesses,
  CODE_SERVER,
  makeRunHome,
  removeRunHome,
  startCodeServer,
} from './code-server.mjs';
import {
  managerEndpoint,
  managerRequest,
  openWorkbench,
  REPO,
  runCommand,
  runTasks,
  webviewFrame,
} from './workbench.mjs';

const extDir = path.resolve(import.meta.dirname, '..');
const shots = path.join(REPO, 'test-artifacts/vscode');
const report = process.env.UI_REPORT || path.join(shots, 'ui.json');
fs.mkdirSync(shots, { recursive: true });
const NAME = '<img src=x onerror=alert(1)>';
const results = [];

async function step(title, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ title, ok: true });
    console.log(`  ✔ ${title} (${Date.now() - t0} ms)`);
  } catch (error) {
    results.push({ title, ok: false });
    console.log(`  ✘ ${title}\n    ${error.stack ?? error}`);
    throw error;
  }
}

const vsix = path.join(extDir, 'drover-vscode.vsix');
const home = makeRunHome({
  'drover.command': path.join(REPO, 'core/bin/drover.mjs'),
  'drover.keepAliveSeconds': 3,
  'workbench.colorTheme': 'Default Dark Modern',
});
let server, browser, endpoint;
const dialogs = [];
try {
  await step('vsce packages the extension offline and code-server installs the .vsix', async () => {
    execFileSync(
      path.join(REPO, 'node_modules/.bin/vsce'),
      ['package', '--no-dependencies', '--skip-license', '-o', vsix],
      { cwd: extDir, stdio: 'pipe' },
    );
    const out = execFileSync(
      CODE_SERVER,
      [
        '--config',
        home.configFile,
        '--user-data-dir',
        path.join(home.tmp, 'data'),
        '--extensions-dir',
        home.dirs.ext,
        '--install-extension',
        vsix,
      ],
      { env: home.env, encoding: 'utf8' },
    );
    if (!/successfully installed/i.test(out)) throw new Error(out);
  });
  server = await startCodeServer(home);
  const opened = await openWorkbench(home, server);
  browser = opened.browser;
  const page = opened.page;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  let form;
  await step('palette → Drover: New Cluster… opens the form webview with a live preview', async () => {
    await runCommand(page, 'Drover: New Cluster…');
    form = await webviewFrame(page, '[data-testid=preview]', 120_000);
    await form.locator('[data-testid=preview]', { hasText: 'drover' }).waitFor({ timeout: 60_000 });
  });

  await step('every kind renders: SLURM shows #SBATCH lines, and back to local', async () => {
    await form.locator('[data-path=kind]').selectOption('slurm');
    await form.locator('[data-path="options.cores"]').fill('4');
    await form.locator('[data-path="options.memory"]').fill('8GB');
    await form.locator('[data-testid=preview]', { hasText: '#SBATCH' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(shots, 'new-cluster-slurm.png') });
    await form.locator('[data-path=kind]').selectOption('local');
    await form.locator('[data-testid=preview]', { hasNotText: '#SBATCH' }).waitFor({ timeout: 30_000 });
  });

  await step('a bad value is refused under its field, naming the fix', async () => {
    await form.locator('[data-path=scale]').fill('-4');
    await form.locator('.drover-invalid [data-path=scale]').waitFor({ timeout: 30_000 });
    if (!(await form.locator('button.drover-primary').isDisabled()))
      throw new Error('Start is enabled with a bad field');
  });

  await step('filling the form changes the preview', async () => {
    await form.locator('[data-path=scale]').fill('2');
    const before = await form.locator('[data-testid=preview]').textContent();
    await form.locator('[data-path=name]').fill(NAME);
    await form.locator('[data-path="options.threadsPerWorker"]').fill('2');
    await page.waitForFunction(() => true);
    const deadline = Date.now() + 30_000;
    while ((await form.locator('[data-testid=preview]').textContent()) === before) {
      if (Date.now() > deadline) throw new Error('the preview did not change');
      await page.waitForTimeout(200);
    }
    await page.screenshot({ path: path.join(shots, 'new-cluster-form.png') });
  });

  let stream;
  await step('Start → the task-stream webview opens on the new cluster, its name as text', async () => {
    await form.locator('button.drover-primary').click();
    stream = await webviewFrame(page, 'canvas.drover-stream-canvas', 120_000);
    await stream.locator('.drover-stream-title', { hasText: NAME }).waitFor({ timeout: 60_000 });
    if ((await stream.locator('#drover img').count()) > 0) throw new Error('the name became an <img>');
    await page
      .locator('.tab', { hasText: `Drover: ${NAME}` })
      .first()
      .waitFor({ timeout: 30_000 });
  });

  await step('tasks on the cluster: the webview draws bars, the workers appear', async () => {
    endpoint = await managerEndpoint(home);
    const cluster = await managerRequest(endpoint, 'GET', `api/clusters/${encodeURIComponent(NAME)}`);
    const work = runTasks(cluster.clientCode, 8);
    await stream
      .locator('.drover-worker-list td, .drover-workers td, table tbody td')
      .first()
      .waitFor({ timeout: 60_000 });
    // Bars drawn in a frame, as the chart counts them, while the tasks arrive.
    const drawn = () =>
      stream.evaluate(() => {
        const { chart, model } = globalThis.droverTaskStream;
        return { rects: chart.stats.rectsDrawn, lanes: model.lanes.length };
      });
    let seen = { rects: 0, lanes: 0 };
    const deadline = Date.now() + 60_000;
    while (seen.rects < 20 && Date.now() < deadline) {
      await page.waitForTimeout(250);
      seen = await drawn();
    }
    await page.screenshot({ path: path.join(shots, 'task-stream.png') });
    const done = await work;
    if (seen.rects < 20) throw new Error(`the chart drew only ${seen.rects} bars`);
    console.log(
      `    ${done.tasks} tasks at ${Math.round(done.perSecond)} tasks/s; ${seen.rects} bars in a frame on ${seen.lanes} lanes`,
    );
  });

  await step('the Drover view lists the cluster as text with its workers', async () => {
    await runCommand(page, 'View: Show Drover');
    const row = page.locator('.monaco-list-row', { hasText: NAME }).first();
    await row.waitFor({ timeout: 30_000 });
    await page.locator('.monaco-list-row', { hasText: 'slots' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(shots, 'tree.png') });
    if (dialogs.length > 0) throw new Error(`a dialog opened: ${dialogs.join(', ')}`);
  });

  await step('palette → Drover: Stop Cluster stops it after confirmation', async () => {
    await runCommand(page, 'Drover: Stop Cluster');
    await page
      .locator('.monaco-dialog-box')
      .getByRole('button', { name: 'Stop', exact: true })
      .click({ timeout: 30_000 });
    const deadline = Date.now() + 60_000;
    while ((await managerRequest(endpoint, 'GET', 'api/clusters')).length > 0) {
      if (Date.now() > deadline) throw new Error('the cluster is still listed');
      await page.waitForTimeout(300);
    }
  });
} catch {
  // reported by step(); the steps after it depend on it. Keep what the screen showed.
  await browser
    ?.pages()[0]
    ?.screenshot({ path: path.join(shots, 'ui-failure.png') })
    .catch(() => {});
} finally {
  endpoint?.release();
  await browser?.close().catch(() => {});
  await server?.stop();
  const left = await awaitNoProcesses(home, 20_000);
  results.push({ title: 'no process left after the window closed', ok: left.length === 0 });
  console.log(
    left.length === 0
      ? '  ✔ no process left after the window closed'
      : `  ✘ processes left: ${left.map((p) => p.cmd).join('; ')}`,
  );
  removeRunHome(home);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
fs.writeFileSync(
  report,
  JSON.stringify({ passed, failed: failed || (results.length < 10 ? 10 - results.length : 0), skipped: 0 }),
);
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length === 10 ? 0 : 1);
