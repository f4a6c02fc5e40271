// Helpers of the integration tests: the extension's API, waiting for a condition, running tasks
// on a cluster from a separate Node process, and reading SLURM's queue.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { DroverExtensionApi } from '../../src/extension';

const run = promisify(execFile);
export const EXTENSION_ID = 'drover.drover-vscode';
/** The repository's core package, whose Client the task-running process uses. */
export const CORE = path.resolve(__dirname, '../../../../core/dist/index.js');

/** Activates the extension and returns its API. */
export async function droverApi(): Promise<DroverExtensionApi> {
  const extension = vscode.extensions.getExtension<DroverExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** Polls `check` until it returns a truthy value; fails with `what` after `ms`. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  ms = 60_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/** A name no one else on this machine uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}`;
}

/**
 * Runs `code` (an ES module body that has `client`) in a separate Node process after the
 * cluster's own client code connects it; returns what the process printed.
 */
export async function withClient(clientCode: string, code: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-vscode-client-'));
  try {
    const file = path.join(dir, 'run.mjs');
    const connect = clientCode.replace("from '@drover/core'", `from ${JSON.stringify(CORE)}`);
    fs.writeFileSync(file, `${connect}\n${code}\nawait client.close();\n`);
    const { stdout } = await run(process.execPath, [file], { timeout: 120_000 });
    return stdout.trim();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Ids of SLURM jobs in the queue now. */
export async function squeueIds(): Promise<string[]> {
  const { stdout } = await run('squeue', ['-h', '-o', '%i']);
  return stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}
