// The keeper process (bundled to dist/keeper.js, started detached by the extension): runs
// `drover serve` with its token in the environment and serves the endpoint on a Unix socket
// while windows hold connections, plus a grace period. See lease-protocol.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { KEEPER_CONFIG_ENV, type KeeperConfig, type KeeperMessage } from './lease-protocol';

const config = JSON.parse(process.env[KEEPER_CONFIG_ENV] ?? '{}') as KeeperConfig;
const token = randomBytes(24).toString('hex');
const clients = new Set<net.Socket>();
const recentLog: string[] = [];
let endpoint: KeeperMessage | null = null;
let failure: KeeperMessage | null = null;
let grace: NodeJS.Timeout | undefined;
let stopping = false;

fs.mkdirSync(path.dirname(config.socketPath), { recursive: true, mode: 0o700 });
const server = net.createServer(accept);
server.on('error', () => process.exit(0)); // another keeper owns the socket
const { [KEEPER_CONFIG_ENV]: _, ...env } = process.env;
const args = [...config.command.slice(1), 'serve', '--port', '0', '--exit-with-stdin'];
if (config.profilesPath) args.push('--profiles', config.profilesPath);
let manager: ChildProcess;
void main();

async function main(): Promise<void> {
  if (!(await claimSocket())) process.exit(0);
  await new Promise<void>((resolve) => server.listen(config.socketPath, resolve));
  fs.chmodSync(config.socketPath, 0o600);
  manager = spawn(config.command[0]!, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...env, DROVER_TOKEN: token },
  });
  manager.on('error', (e) => fail(`could not run ${config.command.join(' ')}: ${e.message}`));
  manager.on('exit', (code, signal) => {
    if (!endpoint) fail(`drover serve exited (${signal ?? code}) before it was ready`);
    shutdown();
  });
  for (const stream of [manager.stdout!, manager.stderr!])
    readline.createInterface({ input: stream }).on('line', (line) => {
      const api = /^API: (http:\/\/\S+)\/api /.exec(line);
      if (api && !endpoint) {
        endpoint = { type: 'endpoint', url: `${api[1]}/`, token, pid: manager.pid ?? 0 };
        broadcast(endpoint);
      }
      log(line);
    });
  armGrace();
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

function accept(socket: net.Socket): void {
  clients.add(socket);
  clearTimeout(grace);
  for (const line of recentLog) send(socket, { type: 'log', line });
  if (endpoint) send(socket, endpoint);
  if (failure) send(socket, failure);
  socket.on('error', () => {});
  socket.on('close', () => {
    clients.delete(socket);
    if (clients.size === 0) armGrace();
  });
}

function armGrace(): void {
  clearTimeout(grace);
  grace = setTimeout(shutdown, config.graceMs);
}

function log(line: string): void {
  recentLog.push(line);
  if (recentLog.length > 200) recentLog.shift();
  broadcast({ type: 'log', line });
}

function fail(message: string): void {
  failure = { type: 'failed', message };
  broadcast(failure);
}

function broadcast(message: KeeperMessage): void {
  for (const socket of clients) send(socket, message);
}

function send(socket: net.Socket, message: KeeperMessage): void {
  socket.write(JSON.stringify(message) + '\n');
}

/** Closing stdin makes `drover serve` close its clusters and exit; SIGKILL if it overstays. */
function shutdown(): void {
  if (stopping) return;
  stopping = true;
  server.close();
  try {
    fs.unlinkSync(config.socketPath);
  } catch {
    // already gone
  }
  for (const socket of clients) socket.end();
  if (manager.exitCode !== null || manager.signalCode !== null) process.exit(0);
  manager.stdin?.end();
  setTimeout(() => manager.kill('SIGKILL'), 8000).unref();
  manager.on('exit', () => process.exit(0));
}

/** True when no live keeper answers on the socket (a stale file is removed). */
function claimSocket(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(config.socketPath);
    probe.on('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.on('error', () => {
      try {
        fs.unlinkSync(config.socketPath);
      } catch {
        // nothing there
      }
      resolve(true);
    });
  });
}
