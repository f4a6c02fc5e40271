import type { WebSocket } from 'ws';
import { createLogger } from '../../logger.js';
import type { ClientEvent, ClusterModel, JobModel, ServerEvent } from '../api-types.js';
import type { ClusterManager } from '../cluster-manager.js';

const log = createLogger('serve-events');
type Listener = Parameters<ClusterManager['on']>[1];
/** Worker metrics and progress go out this often to a socket that watches a cluster. */
const METRICS_MS = 1000;
/** Past this many unsent bytes a slow socket skips task batches rather than pile them up. */
const MAX_BUFFERED = 4 << 20;

/**
 * One browser's event socket: cluster changes and job states for every cluster, and for the one
 * cluster it subscribed to, aggregated task-stream batches and worker metrics.
 */
export class EventSocket {
  private unsubscribeTasks: (() => void) | null = null;
  private metricsTimer: NodeJS.Timeout | null = null;
  private readonly listeners: Array<[string, Listener]> = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly manager: ClusterManager,
  ) {
    this.send({ type: 'hello', pid: process.pid, clusters: manager.list() });
    this.listen('cluster', (cluster: ClusterModel) => this.send({ type: 'cluster', cluster }));
    this.listen('cluster-removed', (name: string) => this.send({ type: 'cluster-removed', name }));
    this.listen('job', (cluster: string, job: JobModel) => this.send({ type: 'job', cluster, job }));
    socket.on('message', (data) => this.received(data.toString()));
    socket.on('close', () => this.dispose());
    socket.on('error', (e) => log.debug('event socket error', e));
  }

  /** Stops everything this socket listens to. */
  dispose(): void {
    this.watch(null);
    for (const [event, listener] of this.listeners) this.manager.off(event, listener);
    this.listeners.length = 0;
  }

  private listen(event: string, listener: Listener): void {
    this.manager.on(event, listener);
    this.listeners.push([event, listener]);
  }

  private received(text: string): void {
    let message: ClientEvent;
    try {
      message = JSON.parse(text) as ClientEvent;
    } catch {
      this.socket.close(1003, 'messages must be JSON');
      return;
    }
    if (message?.type === 'subscribe')
      this.watch(typeof message.cluster === 'string' ? message.cluster : null);
  }

  /** Streams tasks and metrics of one cluster (null: none). */
  private watch(name: string | null): void {
    this.unsubscribeTasks?.();
    this.unsubscribeTasks = null;
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    this.metricsTimer = null;
    if (name === null) return;
    let managed;
    try {
      managed = this.manager.managed(name);
    } catch {
      return; // it went away meanwhile; the browser has a cluster-removed event for it
    }
    this.unsubscribeTasks = managed.subscribeTasks((batch) => {
      if (!batch.reset && this.socket.bufferedAmount > MAX_BUFFERED) return;
      this.send({ type: 'tasks', cluster: name, batch });
    });
    const sendMetrics = (): void => this.send({ type: 'metrics', cluster: name, ...managed.metrics() });
    sendMetrics();
    this.metricsTimer = setInterval(sendMetrics, METRICS_MS);
    this.metricsTimer.unref();
  }

  private send(event: ServerEvent): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(event));
  }
}
