import * as vscode from 'vscode';
import { ClusterStore } from './cluster-store';
import { EventSocket } from './event-socket';
import { ManagerClient } from './manager-client';
import { ManagerLease } from './manager-lease';
import { keeperSocketPath } from './lease-protocol';
import { droverCommand, readSettings } from '../settings/settings';

/**
 * The manager as the rest of the extension sees it: started (or found) on first use, its API
 * client, and the cluster store fed by its event socket.
 *
 * #### Notes
 * Nothing starts at activation: the manager comes up with the first command or tree expansion,
 * so opening VS Code costs nothing until Drover is used; after a window reload the tree asks, and
 * finds the same manager with the same clusters.
 */
export class DroverService implements vscode.Disposable {
  readonly store = new ClusterStore();
  private lease: ManagerLease | null = null;
  private events: EventSocket | null = null;
  private starting: Promise<ManagerClient> | null = null;
  private reattaching: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
  ) {}

  /** True once the manager answered (used by the tree to avoid starting it on its own). */
  get connected(): boolean {
    return this.lease !== null;
  }

  /** The manager's client, starting or finding the manager on first use. */
  async client(): Promise<ManagerClient> {
    await this.reattaching;
    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  /** Connects to a manager that is already running (another window's, or this one's before a reload). */
  async reattach(): Promise<void> {
    this.reattaching = this.start(false).then(
      (client) => void (this.starting ??= Promise.resolve(client)),
      () => {},
    );
    await this.reattaching;
  }

  private async start(spawnIfMissing = true): Promise<ManagerClient> {
    const settings = readSettings();
    const command = droverCommand(this.context.extensionPath, settings.command);
    if (spawnIfMissing) this.output.info(`connecting to the Drover manager (${command.join(' ')} serve)`);
    const lease = await ManagerLease.acquire({
      spawnIfMissing,
      keeperScript: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'keeper.mjs').fsPath,
      config: {
        socketPath: keeperSocketPath(),
        command,
        ...(settings.profilesPath ? { profilesPath: settings.profilesPath } : {}),
        graceMs: settings.keepAliveSeconds * 1000,
      },
      onLog: (line) => this.output.info(`[manager] ${line.replace(/token=[^\s&]+/g, 'token=…')}`),
      onLost: () => this.lost(),
    });
    this.lease = lease;
    this.output.info(`manager ready (pid ${lease.endpoint.pid})`);
    const client = new ManagerClient(lease.endpoint);
    this.events = new EventSocket(lease.endpoint, (event) => this.store.apply(event));
    return client;
  }

  private lost(): void {
    this.output.warn('the Drover manager stopped; it starts again with the next command');
    this.events?.dispose();
    this.events = null;
    this.lease = null;
    this.starting = null;
    this.store.apply({ type: 'hello', pid: 0, clusters: [] });
  }

  dispose(): void {
    this.events?.dispose();
    this.lease?.release();
    this.lease = null;
    this.store.dispose();
  }
}
