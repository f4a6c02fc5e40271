import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes the scheduler token to `<directory>/<name>` with mode 0600 and returns the path, so job
 * scripts can say `--token-file <path>` instead of holding the token. The directory must be on a
 * file system the compute nodes share.
 */
export async function writeTokenFile(
  directory: string,
  token: string,
  name = 'scheduler.token',
): Promise<string> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const path = join(directory, name);
  await writeFile(path, token + '\n', { mode: 0o600 });
  await chmod(path, 0o600); // an existing file keeps its old mode under writeFile
  return path;
}
