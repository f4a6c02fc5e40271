import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where Drover runs from, as the host sees it: which Node binary starts workers and where Drover's
 * files are. A host whose own Node is not the one to use (an editor's extension process, whose Node
 * changes with every editor update) or whose code is bundled (so module-relative paths point into
 * the bundle) passes its own to `ClusterManager.open`, `LocalCluster.start` and
 * `JobQueueCluster.start`.
 */
export interface Installation {
  /** The Node binary that runs worker processes, here and (by default) in batch jobs. */
  readonly nodePath: string;
  /**
   * Drover's install root: the directory that holds `core/bin/drover.mjs`, `core/dist/` and
   * `templates/jobscripts/` (the repository root of a checkout).
   */
  readonly installRoot: string;
}

/**
 * This process's Node and the checkout this module was loaded from: right when Drover runs from its
 * own files with the Node that started it (`drover serve`, scripts, tests), wrong once bundled.
 */
export function defaultInstallation(): Installation {
  // This file sits at core/src/ and, built, at core/dist/: both two levels below the root.
  return {
    nodePath: process.execPath,
    installRoot: join(fileURLToPath(new URL('.', import.meta.url)), '..', '..'),
  };
}

/** The `drover` command (a Node script) of an installation: `core/bin/drover.mjs`. */
export function droverScript(installation: Installation): string {
  return join(installation.installRoot, 'core', 'bin', 'drover.mjs');
}

/** The single-file worker bundle the build writes: `core/dist/bundle/drover-worker.mjs`. */
export function workerBundleOf(installation: Installation): string {
  return join(installation.installRoot, 'core', 'dist', 'bundle', 'drover-worker.mjs');
}

/** Drover's own job-script templates: `templates/jobscripts/`. */
export function templateDirectoryOf(installation: Installation): string {
  return join(installation.installRoot, 'templates', 'jobscripts');
}

/** The built dashboard files: `core/dist/ui/`. */
export function dashboardDirectoryOf(installation: Installation): string {
  return join(installation.installRoot, 'core', 'dist', 'ui');
}
