import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits at core/src/jobqueue/ and, built, at core/dist/jobqueue/: both are three levels
// below the repository root and two below core/.
const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Drover's own job-script templates (`templates/jobscripts/` at the repository root). */
export function builtinTemplateDirectory(): string {
  return join(HERE, '..', '..', '..', 'templates', 'jobscripts');
}

/** Absolute path of the `drover` command of this installation (core/bin/drover.mjs). */
export function droverBinPath(): string {
  return join(HERE, '..', '..', 'bin', 'drover.mjs');
}

/** `$XDG_CONFIG_HOME/drover`, else `~/.config/drover`. */
export function userConfigDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'drover');
}

/** `$XDG_STATE_HOME/drover`, else `~/.local/state/drover`. */
export function userStateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'drover');
}
