import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cluster.js';
import { startDrover, type DroverProcess } from './processes.js';

/** A `drover serve` child process and how to reach it. */
export interface ServeProcess {
  process: DroverProcess;
  url: string;
  token: string;
  pid: number;
  /** GET/POST/… with the token; resolves with status and parsed body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** A private state and config home for one or more `drover serve` runs; removed after the test. */
export function privateHome(): { XDG_STATE_HOME: string; XDG_CONFIG_HOME: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drover-home-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return { XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
}

/** Starts `drover serve --port 0` with a known token and waits until it prints its URL. */
export async function startServe(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  token = 'test-token-' + Math.random().toString(36).slice(2),
): Promise<ServeProcess> {
  const child = startDrover(['serve', '--port', '0', ...args], { DROVER_TOKEN: token, ...env });
  onCleanup(() => child.stop());
  const [, url] = await child.line(/Drover dashboard: (http:\/\/127\.0\.0\.1:\d+)\/\?token=/);
  return {
    process: child,
    url: url!,
    token,
    pid: child.child.pid!,
    async call(method, path, body) {
      const response = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
  };
}
