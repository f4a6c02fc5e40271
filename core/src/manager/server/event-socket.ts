import type { WebSocket } from 'ws';
import { createLogger } from '../../logger.js';
import type { ClientEvent, ServerEvent } from '../api-types.js';
import type { ClusterManager } from '../cluster-manager.js';
import type { ManagerSession } from '../manager-session.js';

const log = createLogger('serve-events');

/**
 * One browser's event socket: a {@link ManagerSession} whose events travel as JSON text frames and
 * whose backlog is the socket's unsent bytes.
 */
export class EventSocket {
  private readonly session: ManagerSession;

  constructor(
    private readonly socket: WebSocket,
    manager: ClusterManager,
  ) {
    this.session = manager.openSession((event) => this.send(event), {
      backlog: () => socket.bufferedAmount,
    });
    socket.on('message', (data) => this.received(data.toString()));
    socket.on('close', () => this.dispose());
    socket.on('error', (e) => log.debug('event socket error', e));
  }

  /** Stops everything this socket listens to. */
  dispose(): void {
    this.session.close();
  }

  private received(text: string): void {
    let message: ClientEvent;
    try {
      message = JSON.parse(text) as ClientEvent;
    } catch {
      this.socket.close(1003, 'messages must be JSON');
      return;
    }
    this.session.receive(message);
  }

  private send(event: ServerEvent): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(event));
  }
}
