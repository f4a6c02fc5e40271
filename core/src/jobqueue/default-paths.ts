import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultInstallation, droverScript, templateDirectoryOf } from '../installation.js';

/** Drover's own job-script templates (`templates/jobscripts/`) of the default installation. */
export function builtinTemplateDirectory(): string {
  return templateDirectoryOf(defaultInstallation());
}

/** Absolute path of the `drover` command of the default installation (core/bin/drover.mjs). */
export function droverBinPath(): string {
  return droverScript(defaultInstallation());
}

/** `$XDG_CONFIG_HOME/drover`, else `~/.config/drover`. */
export function userConfigDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'drover');
}

/** `$XDG_STATE_HOME/drover`, else `~/.local/state/drover`. */
export function userStateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'drover');
}
