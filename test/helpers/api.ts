import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer, ClusterManager } from '@drover/core';

/** An answer of the manager API, parsed. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A real manager and API server in this process, with private state and profile files. */
export interface TestApi {
  server: ApiServer;
  manager: ClusterManager;
  url: string;
  token: string;
  stateDirectory: string;
  /** Calls the API with the token unless `token` is given (null: none). */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string | null; headers?: Record<string, string> },
  ): Promise<ApiAnswer>;
  close(): Promise<void>;
}

/** Starts a ClusterManager and its ApiServer on 127.0.0.1 with a random port and token. */
export async function startApi(
  options: { corsOrigins?: string[]; stateDirectory?: string } = {},
): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'drover-api-'));
  const stateDirectory = options.stateDirectory ?? join(dir, 'state');
  const manager = await ClusterManager.open({ stateDirectory, profilesPath: join(dir, 'profiles.yaml') });
  const server = await ApiServer.start({ manager, corsOrigins: options.corsOrigins ?? [] });
  return {
    server,
    manager,
    url: server.url,
    token: server.token,
    stateDirectory,
    async call(method, path, { body, token = server.token, headers = {} } = {}) {
      const response = await fetch(server.url + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // plain text (job scripts, logs)
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {
      await server.close();
      await manager.closeAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `error` object of an error answer. */
export function errorOf(answer: ApiAnswer): { code: string; message: string; field?: string } {
  return (answer.body as { error: { code: string; message: string; field?: string } }).error;
}

/** Runs `count` tasks keyed `<prefix>-<n>` from a separate process, as a user's program would. */
export async function runTasks(
  address: string,
  count: number,
  prefix = 'work',
  msPerTask = 0,
): Promise<void> {
  const { execFile } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const script = fileURLToPath(new URL('../fixtures/run-tasks.mjs', import.meta.url));
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [script, address, String(count), prefix, String(msPerTask)],
      { timeout: 60_000 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`run-tasks failed: ${error.message}\n${stderr}`))
          : stdout.includes(`done ${count}`)
            ? resolve()
            : reject(new Error(stdout + stderr)),
    ),
  );
}

/** The scheduler address with token from a cluster's client code. */
export function addressOf(clientCode: string): string {
  return /"(ws:[^"]+)"/.exec(clientCode)![1]!;
}
