import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { processExists, writePrivateJson } from '../util/private-file.js';

/**
 * What `drover serve` writes so that notebook kernels of the same user find it: the private file
 * `serve-<pid>.json` (mode 0600) in {@link managerFileDirectory}.
 */
export interface ManagerFile {
  /** The API's base URL, `http://127.0.0.1:PORT`. */
  url: string;
  token: string;
  pid: number;
  /** ISO time the manager started. */
  started: string;
}

/** Where a manager reaches a kernel from: a file, or the environment. */
export interface ManagerLocation {
  url: string;
  token: string;
  /** How it was found, for error messages: a path, or `DROVER_MANAGER_URL`. */
  source: string;
}

/**
 * The directory of the manager files: `$XDG_RUNTIME_DIR/drover`, else `$XDG_STATE_HOME/drover/run`,
 * else `~/.local/state/drover/run`.
 */
export function managerFileDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'drover');
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'drover', 'run');
}

/**
 * Writes this process's manager file (0600, in a 0700 directory) and removes the files of managers
 * that died without removing theirs. Returns the path; {@link removeManagerFile} removes it.
 */
export async function writeManagerFile(
  contents: Omit<ManagerFile, 'pid' | 'started'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const directory = managerFileDirectory(env);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  for (const stale of listManagerFiles(directory))
    if (!processExists(stale.pid)) removeManagerFile(stale.path);
  const path = join(directory, `serve-${process.pid}.json`);
  const file: ManagerFile = { ...contents, pid: process.pid, started: new Date().toISOString() };
  await writePrivateJson(path, file);
  return path;
}

/** Removes a manager file; a file already gone is fine. Synchronous, so it works in an exit handler. */
export function removeManagerFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Finds the manager a kernel should use, in this order: `DROVER_MANAGER_FILE` (a path to a manager
 * file), `DROVER_MANAGER_URL` with `DROVER_TOKEN`, else the newest manager file whose process is
 * alive. Throws an error that says what was looked at and how to start one.
 */
export function findManager(env: NodeJS.ProcessEnv = process.env): ManagerLocation {
  if (env.DROVER_MANAGER_FILE) {
    const path = env.DROVER_MANAGER_FILE;
    const file = readManagerFile(path);
    if (!file)
      throw new Error(
        `DROVER_MANAGER_FILE names ${path}, which is missing or not a Drover manager file; ` +
          'unset it, or point it at the serve-<pid>.json file of a running drover serve',
      );
    return { url: file.url, token: file.token, source: path };
  }
  if (env.DROVER_MANAGER_URL) {
    if (!env.DROVER_TOKEN)
      throw new Error('DROVER_MANAGER_URL is set but DROVER_TOKEN is not; set both, or neither');
    return {
      url: env.DROVER_MANAGER_URL.replace(/\/+$/, ''),
      token: env.DROVER_TOKEN,
      source: 'DROVER_MANAGER_URL',
    };
  }
  const directory = managerFileDirectory(env);
  const alive = listManagerFiles(directory)
    .filter((f) => processExists(f.pid))
    .sort((a, b) => b.started.localeCompare(a.started));
  const newest = alive[0];
  if (!newest)
    throw new Error(
      `no running Drover manager found (no live serve-<pid>.json in ${directory}); ` +
        'start one with `drover serve` (or open the Drover sidebar in JupyterLab), ' +
        'or set DROVER_MANAGER_URL and DROVER_TOKEN',
    );
  return { url: newest.url, token: newest.token, source: newest.path };
}

/** The manager files in `directory` that parse, with their paths. */
export function listManagerFiles(directory: string): (ManagerFile & { path: string })[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  const files: (ManagerFile & { path: string })[] = [];
  for (const name of names) {
    if (!/^serve-\d+\.json$/.test(name)) continue;
    const file = readManagerFile(join(directory, name));
    if (file) files.push({ ...file, path: join(directory, name) });
  }
  return files;
}

function readManagerFile(path: string): ManagerFile | null {
  try {
    if (!statSync(path).isFile()) return null;
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<ManagerFile>;
    if (typeof value.url !== 'string' || typeof value.token !== 'string' || typeof value.pid !== 'number')
      return null;
    return { url: value.url, token: value.token, pid: value.pid, started: String(value.started ?? '') };
  } catch {
    return null;
  }
}
