// Starts code-server (a real VS Code 1.100 server and web workbench) for one run, isolated in a
// temp dir (user data, extensions, XDG dirs, Drover's runtime and state), and stops it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER =
  process.env.CODE_SERVER ||
  path.resolve(import.meta.dirname, '../../.vscode-test/code-server/node_modules/.bin/code-server');

/** A free port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * A fresh temp home for one run: settings (`settings` object written to the user settings),
 * a workspace folder, and the environment every process of the run inherits.
 */
export function makeRunHome(settings = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-vscode-'));
  const dirs = Object.fromEntries(
    ['ws', 'data/User', 'ext', 'xdg-data', 'xdg-config', 'xdg-state', 'run', 'chromium'].map((d) => {
      fs.mkdirSync(path.join(tmp, d), { recursive: true, mode: 0o700 });
      return [d, path.join(tmp, d)];
    }),
  );
  fs.writeFileSync(path.join(tmp, 'config.yaml'), ''); // else code-server writes ~/.config/code-server
  fs.writeFileSync(
    path.join(dirs['data/User'], 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        ...settings,
      },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CONFIG_HOME: dirs['xdg-config'],
    // Drover's manager state and its keeper socket stay in this run: other people's clusters on
    // this machine are neither seen nor restored.
    XDG_STATE_HOME: dirs['xdg-state'],
    XDG_RUNTIME_DIR: dirs.run,
  };
  return { tmp, dirs, env, configFile: path.join(tmp, 'config.yaml') };
}

/** Starts code-server on 127.0.0.1 (webviews need a secure context) and waits for it to listen. */
export async function startCodeServer(home, { extraArgs = [], log = () => {} } = {}) {
  const port = await freePort();
  const cs = spawn(
    CODE_SERVER,
    [
      '--config',
      home.configFile,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      path.join(home.tmp, 'data'),
      '--extensions-dir',
      home.dirs.ext,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...extraArgs,
      home.dirs.ws,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: home.env },
  );
  let output = '';
  const collect = (d) => {
    output += d;
    log(String(d));
  };
  cs.stdout.on('data', collect);
  cs.stderr.on('data', collect);
  await new Promise((resolve, reject) => {
    const iv = setInterval(
      () => output.includes('HTTP server listening') && (clearInterval(iv), resolve()),
      100,
    );
    cs.on('exit', (c) => {
      clearInterval(iv);
      reject(new Error(`code-server exited ${c}\n${output}`));
    });
  });
  return {
    port,
    authority: `127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (cs.exitCode === null && cs.signalCode === null) {
        cs.kill('SIGTERM');
        await new Promise((r) => cs.on('exit', r));
      }
    },
  };
}

/**
 * Processes still running with this run's environment (Drover's keeper, manager, workers): they
 * must all be gone a little after the window closed. Reads /proc, so it sees only this run's.
 */
export function processesOfRun(home) {
  const mark = `XDG_RUNTIME_DIR=${home.dirs.run}`;
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(mark))
        found.push({
          pid: Number(pid),
          cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(),
        });
    } catch {
      /* gone meanwhile */
    }
  }
  return found.filter((p) => p.pid !== process.pid);
}

/** Waits up to `ms` for the run's processes to end; returns those left (then killed). */
export async function awaitNoProcesses(home, ms) {
  const deadline = Date.now() + ms;
  let left = processesOfRun(home);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = processesOfRun(home);
  }
  for (const p of left)
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  return left;
}

/** Removes the run's temp dir (retrying while Chromium still flushes its profile). */
export function removeRunHome(home) {
  fs.rmSync(home.tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
}
