// Driving code-server's workbench in Chromium: the command palette, webview frames, the keeper
// endpoint of the run's Drover manager, and running tasks on a cluster from a Node process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(import.meta.dirname, '../..');

/** Chromium on the workbench of `server`, with the run's folder open. */
export async function openWorkbench(home, server, query = '') {
  const browser = await chromium.launchPersistentContext(home.dirs.chromium, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1500, height: 950 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(`http://${server.authority}/?folder=${encodeURIComponent(home.dirs.ws)}${query}`, {
    timeout: 180_000,
  });
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  return { browser, page };
}

/** Runs a command from the palette; retried because remote contributions appear a few seconds late. */
export async function runCommand(page, title, tries = 40) {
  for (let i = 0; i < tries; i++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>' + title);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 1500 });
      await page.keyboard.press('Enter');
      return;
    } catch {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
  throw new Error('command not found in the palette: ' + title);
}

/** The inner frame of the webview whose document holds `selector` (a webview is 2 nested iframes). */
export async function webviewFrame(page, selector, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.name() !== 'active-frame' && !frame.url().includes('fake.html')) continue;
      if (
        await frame
          .locator(selector)
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview shows ${selector}`);
}

/** The run's manager endpoint, from its keeper's socket (as a second window would get it). */
export function managerEndpoint(home, ms = 60_000) {
  const socketPath = path.join(home.dirs.run, 'drover', 'vscode-manager.sock');
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(socketPath);
      socket.on('error', () =>
        Date.now() < deadline ? setTimeout(attempt, 250) : reject(new Error('no Drover manager')),
      );
      const lines = readline.createInterface({ input: socket });
      lines.on('error', () => {}); // the socket's error above retries
      lines.on('line', (line) => {
        const m = JSON.parse(line);
        if (m.type === 'endpoint') resolve({ ...m, release: () => socket.end() });
      });
    };
    attempt();
  });
}

/** A manager API call with the endpoint's token. */
export async function managerRequest(endpoint, method, route, body) {
  const response = await fetch(new URL(route, endpoint.url), {
    method,
    headers: {
      authorization: `Bearer ${endpoint.token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/**
 * Runs no-op tasks on a cluster for `seconds` from a separate Node process (the repository's core
 * client), as fast as the cluster takes them; resolves with the tasks per second it reached.
 */
export function runTasks(clientCode, seconds) {
  const body = `${clientCode.replace("from '@drover/core'", `from ${JSON.stringify(path.join(REPO, 'core/dist/index.js'))}`)}
const end = Date.now() + ${seconds * 1000}; let done = 0; const t0 = Date.now();
while (Date.now() < end) { await client.gather(client.map((x) => x, Array.from({ length: 5000 }, (_, i) => i + done))); done += 5000; }
console.log(JSON.stringify({ tasks: done, perSecond: done / ((Date.now() - t0) / 1000) }));
await client.close();`;
  const dir = fs.mkdtempSync(path.join(REPO, 'test-artifacts', '.tasks-'));
  const file = path.join(dir, 'tasks.mjs');
  fs.writeFileSync(file, body);
  const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop()));
      else reject(new Error(`tasks exited ${code}: ${out}`));
    }),
  );
}
