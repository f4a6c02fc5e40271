#!/usr/bin/env node
// Runs the mocha integration tests inside a real VS Code extension host: code-server loads this
// extension in development mode and runs out/test/suite through the workbench URL's payload
// (its CLI has no --extensionTestsPath); the workbench calls codeAutomationExit when they finish.
// Writes mocha's counts to $MOCHA_REPORT (JSON) and exits with mocha's result.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { chromium } from 'playwright-core';
import { awaitNoProcesses, makeRunHome, removeRunHome, startCodeServer } from './code-server.mjs';

const extDir = path.resolve(import.meta.dirname, '..');
const testsDir = path.join(extDir, 'out/test/suite');
const report = path.resolve(
  process.env.MOCHA_REPORT || path.join(extDir, '../test-artifacts/vscode/mocha.json'),
);
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const home = makeRunHome({ 'drover.keepAliveSeconds': 3, 'drover.autoOpenTaskStream': true });
home.env.MOCHA_REPORT = report;
home.env.DROVER_TEST_ARTIFACTS = path.resolve(extDir, '../test-artifacts/vscode');
const server = await startCodeServer(home, { log: (t) => process.env.VERBOSE && process.stdout.write(t) });
const payload = [
  ['extensionDevelopmentPath', `vscode-remote://${server.authority}${extDir}`],
  ['extensionTestsPath', `vscode-remote://${server.authority}${testsDir}`],
];
const url = `http://${server.authority}/?folder=${encodeURIComponent(home.dirs.ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
const browser = await chromium.launchPersistentContext(home.dirs.chromium, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
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
let exitCode = 2;
let printed = Promise.resolve();
try {
  const done = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
  // The extension host's console (mocha's spec reporter) is forwarded to the page in development mode.
  page.on(
    'console',
    (m) =>
      (printed = printed.then(async () => {
        let a = await Promise.all(m.args().map((x) => x.jsonValue().catch(() => '')));
        if (typeof a[0] === 'string' && a[0].startsWith('%c'))
          a = [a[0].slice(2).trim() + ' ' + (a[2] ?? ''), ...a.slice(3)];
        const t = util.format(...a);
        if (
          process.env.VERBOSE ||
          (/^ *(INFO|ERR|WARN)/.test(t) &&
            !/Creating a socket|connection token|builtin extensions cache|Service Worker|ChatSession|open-vsx|vsda|gallery|An unknown error/.test(
              t,
            ))
        )
          console.log('  |', t.replace(/^ *INFO /, ''));
      })),
  );
  await page.goto(url, { timeout: 180_000 });
  exitCode = await Promise.race([
    done,
    new Promise((r) => setTimeout(() => r(124), +(process.env.TEST_TIMEOUT_MS || 600000))),
  ]);
  await Promise.race([printed, new Promise((r) => setTimeout(r, 2000))]);
  if (exitCode === 124) console.log('the tests did not finish in time');
} finally {
  await browser.close().catch(() => {});
  await server.stop();
  // The window is gone: Drover's keeper stops the manager after keepAliveSeconds (3 s here), and
  // the manager its clusters. Anything of this run still alive after that is a leak.
  const left = await awaitNoProcesses(home, 20000);
  if (left.length > 0) {
    console.log(
      'processes left after the window closed:\n' + left.map((p) => `  ${p.pid} ${p.cmd}`).join('\n'),
    );
    exitCode = exitCode || 3;
    const counts = fs.existsSync(report)
      ? JSON.parse(fs.readFileSync(report, 'utf8'))
      : { passed: 0, failed: 0, skipped: 0 };
    fs.writeFileSync(report, JSON.stringify({ ...counts, failed: counts.failed + 1 }));
  } else console.log('no process of the run left after the window closed');
  if (exitCode !== 0 && !process.env.VERBOSE)
    console.log('--- code-server log (tail) ---\n' + server.output().slice(-4000));
  removeRunHome(home);
}
process.exit(exitCode);
