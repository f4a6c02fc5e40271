import { spawn } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';
import { KEEPER_CONFIG_ENV, type KeeperConfig, type KeeperMessage } from './lease-protocol';
import type { ManagerEndpoint } from './manager-client';

/** Options of {@link ManagerLease.acquire}. */
export interface LeaseOptions {
  /** The keeper script (`dist/keeper.mjs` of the extension). */
  keeperScript: string;
  config: KeeperConfig;
  /** Every line the manager prints (shown in the Output channel). */
  onLog: (line: string) => void;
  /** Called once if the keeper goes away while the lease is held. */
  onLost: () => void;
  /** False: only connect to a keeper that is already running. Default true. */
  spawnIfMissing?: boolean;
  /** How long to wait for the manager to answer, ms. */
  timeoutMs?: number;
}

/**
 * A held connection to the keeper of `drover serve`: the manager stays up while it is held.
 * Acquiring starts the keeper when none answers on its socket.
 */
export class ManagerLease {
  private released = false;

  private constructor(
    readonly endpoint: ManagerEndpoint & { pid: number },
    private readonly socket: net.Socket,
  ) {}

  static async acquire(options: LeaseOptions): Promise<ManagerLease> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    let socket = await connect(options.config.socketPath).catch(() => null);
    if (!socket && options.spawnIfMissing === false) throw new Error('no Drover manager is running');
    if (!socket) {
      const child = spawn(process.execPath, [options.keeperScript], {
        detached: true,
        stdio: 'ignore',
        // On the desktop the extension host's executable is Electron: run it as plain Node.
        env: {
          ...process.env,
          ELECTRON_RUN_AS_NODE: '1',
          [KEEPER_CONFIG_ENV]: JSON.stringify(options.config),
        },
      });
      child.unref();
      while (!socket && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        socket = await connect(options.config.socketPath).catch(() => null);
      }
      if (!socket)
        throw new Error(`the Drover manager did not start (no answer on ${options.config.socketPath})`);
    }
    const held = socket;
    return new Promise<ManagerLease>((resolve, reject) => {
      let lease: ManagerLease | null = null;
      const timer = setTimeout(() => {
        held.destroy();
        reject(new Error('the Drover manager did not become ready in time; see the Drover output'));
      }, deadline - Date.now());
      readline.createInterface({ input: held }).on('line', (line) => {
        const message = JSON.parse(line) as KeeperMessage;
        if (message.type === 'log') options.onLog(message.line);
        else if (message.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(message.message));
        } else if (!lease) {
          clearTimeout(timer);
          lease = new ManagerLease({ url: message.url, token: message.token, pid: message.pid }, held);
          resolve(lease);
        }
      });
      held.on('error', () => {});
      held.on('close', () => {
        clearTimeout(timer);
        if (!lease) reject(new Error('the Drover manager stopped while starting; see the Drover output'));
        else if (!lease.released) options.onLost();
      });
    });
  }

  /** Lets go of the manager; it stops after the grace period unless another window holds it. */
  release(): void {
    this.released = true;
    this.socket.end();
  }
}

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}
