import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterSpec } from '@drover/core/ui';

/** Drover's settings (`drover.*`), as the extension reads them. */
export interface DroverSettings {
  /** The `drover` command: a path to the executable or to `drover.mjs`; empty finds it. */
  command: string;
  /** Saved profiles file; empty for the manager's default. */
  profilesPath: string;
  /** Seconds the manager outlives the last window (a reload must fit in it). */
  keepAliveSeconds: number;
  autoOpenTaskStream: boolean;
  /** The spec new clusters start from (the form, Start from Profile's defaults). */
  newClusterDefaults: ClusterSpec;
}

/** The current settings. */
export function readSettings(): DroverSettings {
  const c = vscode.workspace.getConfiguration('drover');
  const defaults = c.get<Partial<ClusterSpec>>('newClusterDefaults') ?? {};
  return {
    command: c.get<string>('command', '').trim(),
    profilesPath: c.get<string>('profilesPath', '').trim(),
    keepAliveSeconds: c.get<number>('keepAliveSeconds', 30),
    autoOpenTaskStream: c.get<boolean>('autoOpenTaskStream', true),
    newClusterDefaults: { kind: 'local', ...defaults } as ClusterSpec,
  };
}

/**
 * argv of the `drover` command: the setting when given, else the repository's `core/bin/drover.mjs`
 * next to a development checkout of the extension, else `drover` on the PATH.
 */
export function droverCommand(extensionPath: string, setting: string): string[] {
  const withNode = (file: string): string[] => (/\.[cm]?js$/.test(file) ? [process.execPath, file] : [file]);
  if (setting) return withNode(setting);
  const checkout = path.resolve(extensionPath, '..', 'core', 'bin', 'drover.mjs');
  if (fs.existsSync(checkout)) return withNode(checkout);
  return ['drover'];
}
