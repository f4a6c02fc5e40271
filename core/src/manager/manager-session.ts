import type { ClientEvent, ClusterModel, JobModel, ServerEvent } from './api-types.js';
import type { ManagedCluster } from './managed-cluster.js';
import type { ManagerEvents } from './manager-events.js';

/** Worker metrics and progress go out this often to a session that watches a cluster. */
const METRICS_MS = 1000;
/** Past this many undelivered bytes a slow subscriber skips task batches rather than pile them up. */
export const MAX_BACKLOG_BYTES = 4 << 20;

/** What a session reads of the manager (`ClusterManager` is one). */
export interface SessionSource {
  list(): ClusterModel[];
  /** @throws when there is no cluster of that name. */
  managed(name: string): ManagedCluster;
  on<K extends keyof ManagerEvents>(event: K, listener: (...args: ManagerEvents[K]) => void): unknown;
  off<K extends keyof ManagerEvents>(event: K, listener: (...args: ManagerEvents[K]) => void): unknown;
  sessionClosed(session: ManagerSession): void;
}

/** Options of `ClusterManager.openSession`. */
export interface SessionOptions {
  /**
   * Bytes handed to the transport and not yet delivered (a WebSocket's `bufferedAmount`). Above
   * {@link MAX_BACKLOG_BYTES} the session skips task batches (never a reset, never a cluster or job
   * event). Default: always 0, for in-process subscribers.
   */
  backlog?: () => number;
}

/**
 * One subscriber of the manager (a browser's event socket, a webview, a test): every cluster change
 * and job state, and for the one cluster it watches, aggregated task-stream batches and worker
 * metrics.
 *
 * #### Notes
 * Sends `hello` with every cluster as soon as it opens. While at least one session is open, the
 * manager refreshes cluster models every 2 s so task counters move without a status event.
 * Transport-free: `send` receives the same {@link ServerEvent} objects the event socket serialises.
 */
export class ManagerSession {
  private unsubscribeTasks: (() => void) | null = null;
  private metricsTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly onCluster = (cluster: ClusterModel): void => this.send({ type: 'cluster', cluster });
  private readonly onRemoved = (name: string): void => this.send({ type: 'cluster-removed', name });
  private readonly onJob = (cluster: string, job: JobModel): void => this.send({ type: 'job', cluster, job });

  /** Use `ClusterManager.openSession`. */
  constructor(
    private readonly manager: SessionSource,
    private readonly deliver: (event: ServerEvent) => void,
    private readonly options: SessionOptions = {},
  ) {
    this.send({ type: 'hello', pid: process.pid, clusters: manager.list() });
    manager.on('cluster', this.onCluster);
    manager.on('cluster-removed', this.onRemoved);
    manager.on('job', this.onJob);
  }

  /** Handles what a subscriber sends (`{type: 'subscribe', cluster}`); other messages are ignored. */
  receive(message: ClientEvent): void {
    if (message?.type === 'subscribe')
      this.watch(typeof message.cluster === 'string' ? message.cluster : null);
  }

  /**
   * Streams tasks and metrics of one cluster (null: none). An unknown name watches nothing: the
   * cluster went away meanwhile and the subscriber has a `cluster-removed` event for it.
   */
  watch(name: string | null): void {
    this.stopWatching();
    if (name === null || this.closed) return;
    let managed;
    try {
      managed = this.manager.managed(name);
    } catch {
      return;
    }
    this.unsubscribeTasks = managed.subscribeTasks((batch) => {
      if (!batch.reset && (this.options.backlog?.() ?? 0) > MAX_BACKLOG_BYTES) return;
      this.send({ type: 'tasks', cluster: name, batch });
    });
    const sendMetrics = (): void => this.send({ type: 'metrics', cluster: name, ...managed.metrics() });
    sendMetrics();
    this.metricsTimer = setInterval(sendMetrics, METRICS_MS);
    this.metricsTimer.unref();
  }

  /** Stops every listener and timer of this session; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching();
    this.manager.off('cluster', this.onCluster);
    this.manager.off('cluster-removed', this.onRemoved);
    this.manager.off('job', this.onJob);
    this.manager.sessionClosed(this);
  }

  private stopWatching(): void {
    this.unsubscribeTasks?.();
    this.unsubscribeTasks = null;
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    this.metricsTimer = null;
  }

  private send(event: ServerEvent): void {
    if (!this.closed) this.deliver(event);
  }
}
