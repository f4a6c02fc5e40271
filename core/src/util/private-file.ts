import { chmod, rename, writeFile } from 'node:fs/promises';

/**
 * Writes `value` as JSON to `path` with mode 0600, atomically: readers see the old file or the new
 * one, never half of it (the file may hold a token, or records another process reads).
 */
export async function writePrivateJson(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  await chmod(temporary, 0o600); // an existing file keeps its old mode under writeFile
  await rename(temporary, path);
}

/** Whether a process with this pid exists on this host (also when another user owns it). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
