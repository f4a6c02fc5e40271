/**
 * The manager lease: one small detached process per user ("the keeper") runs `drover serve` and
 * hands its endpoint to every VS Code window that connects to its Unix socket. The manager lives
 * while a window holds a connection, and for a grace period after the last one closes, so a window
 * reload finds the same manager and the same clusters, and closing the last window stops them.
 */
import os from 'node:os';
import path from 'node:path';

/** What the extension tells the keeper it starts (through the environment, never argv). */
export interface KeeperConfig {
  socketPath: string;
  /** argv of the `drover` command, e.g. [node, /…/core/bin/drover.mjs]. */
  command: string[];
  profilesPath?: string;
  graceMs: number;
}

/** Name of the environment variable that carries {@link KeeperConfig} as JSON. */
export const KEEPER_CONFIG_ENV = 'DROVER_VSCODE_KEEPER';

/** One JSON line from the keeper to a window. */
export type KeeperMessage =
  | { type: 'endpoint'; url: string; token: string; pid: number }
  | { type: 'log'; line: string }
  | { type: 'failed'; message: string };

/**
 * The keeper's socket: in `$XDG_RUNTIME_DIR/drover/` (private to the user by the system), else in a
 * 0700 folder of the temp dir named after the user id.
 */
export function keeperSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = env.XDG_RUNTIME_DIR
    ? path.join(env.XDG_RUNTIME_DIR, 'drover')
    : path.join(os.tmpdir(), `drover-${uid}`);
  return path.join(dir, 'vscode-manager.sock');
}
