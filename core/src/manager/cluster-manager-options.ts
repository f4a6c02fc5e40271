import type { LogLevel, LogSink } from '../logger.js';

/**
 * Options of {@link ClusterManager.open}: where the manager keeps its state and, for a host other
 * than `drover serve` (an editor's extension process, a bundled app), which Node runs the workers,
 * where Drover is installed and where logs go.
 */
export interface ClusterManagerOptions {
  /** Where cluster records and leftover jobs live. Default `$XDG_STATE_HOME/drover`. */
  stateDirectory?: string;
  /** The profiles file. Default `$XDG_CONFIG_HOME/drover/profiles.yaml`. */
  profilesPath?: string;
  /** Bring back the clusters of managers that died. Default true. */
  restore?: boolean;
  /** Clusters this manager (one per user) runs at once. Default 16 (`drover serve --max-clusters`). */
  maxClusters?: number;
  /**
   * The Node binary that runs workers: local worker processes and the default `workerCommand` of
   * batch jobs. Default `process.execPath`, which is wrong inside a host that embeds its own Node
   * (an editor's, replaced at each update): pass a stable `node` there.
   */
  nodePath?: string;
  /**
   * Drover's install root, holding `core/bin/drover.mjs`, `core/dist/` and `templates/jobscripts/`.
   * Default: found from this module's own path, which is wrong once the manager is bundled.
   */
  installRoot?: string;
  /**
   * Receives the library's log records (besides stderr) until {@link ClusterManager.closeAll};
   * e.g. an editor's output panel.
   */
  logSink?: LogSink;
  /** The most detailed level `logSink` gets. Default `info`. */
  logLevel?: LogLevel;
}
