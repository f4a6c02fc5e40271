import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives the whole run a private state and config home: clusters write leftover-jobs files and
 * token files under $XDG_STATE_HOME, and no test may touch (or be confused by) the user's own.
 * The test processes, and every process they start, inherit these variables.
 */
export default function setup(): () => void {
  const home = mkdtempSync(join(tmpdir(), 'drover-test-home-'));
  process.env.XDG_STATE_HOME = join(home, 'state');
  process.env.XDG_CONFIG_HOME = join(home, 'config');
  return () => rmSync(home, { recursive: true, force: true });
}
