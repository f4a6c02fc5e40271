// The ManagerPort of a VS Code webview: every request and host hook is a typed message to the
// extension host, which owns the manager's address and token; events come back the same way.
import {
  ApiRequestError,
  type AdaptBounds,
  type ClusterSpec,
  type ConnectionListener,
  type EventListener,
  type EventSubscription,
  type HostHooks,
  type JobLogOptions,
  type ManagerPort,
  type NotifyKind,
  type ScaleTarget,
} from '@drover/core/ui';
import type { ManagerOperation } from '../src/webview/messages';
import { HostCallError, type HostChannel } from './host-channel';

/** The webview's state: the UI's own keys and what the panel keeps. */
type WebviewState = { ui?: Record<string, unknown> } & Record<string, unknown>;

/** {@link ManagerPort} over `postMessage` to the extension host. */
export class PostMessagePort implements ManagerPort {
  readonly host: HostHooks;

  constructor(private readonly channel: HostChannel) {
    const state = (): WebviewState => channel.getState<WebviewState>() ?? {};
    this.host = {
      saveFile: async (name, text) => void (await channel.host('saveFile', name, text)),
      copyText: async (text) => void (await channel.host('copyText', text)),
      openDocument: async (name, text, language) =>
        void (await channel.host('openDocument', name, text, language)),
      notify: (message: string, kind: NotifyKind) =>
        void channel.host('notify', message, kind).catch(() => {}),
      uiState: {
        get: <T>(key: string) => state().ui?.[key] as T | undefined,
        set: (key, value) => {
          const s = state();
          channel.setState({ ...s, ui: { ...s.ui, [key]: value } });
        },
      },
    };
  }

  spec = () => this.call('spec');
  render = (spec: ClusterSpec) => this.call('render', spec);
  dryRun = (spec: ClusterSpec) => this.call('dryRun', spec);
  clusters = () => this.call('clusters');
  cluster = (name: string) => this.call('cluster', name);
  create = (spec: ClusterSpec) => this.call('create', spec);
  scale = (name: string, target: ScaleTarget) => this.call('scale', name, target);
  adapt = (name: string, bounds: AdaptBounds) => this.call('adapt', name, bounds);
  close = (name: string) => this.call('close', name);
  profiles = () => this.call('profiles');
  saveProfile = (name: string, spec: ClusterSpec) => this.call('saveProfile', name, spec);
  deleteProfile = (name: string) => this.call('deleteProfile', name);
  export = (spec: ClusterSpec) => this.call('export', spec);
  jobs = (cluster: string) => this.call('jobs', cluster);
  jobLog = (cluster: string, jobId: string, options?: JobLogOptions) =>
    this.call('jobLog', cluster, jobId, options?.stream);
  metrics = (cluster: string) => this.call('metrics', cluster);
  connection = (cluster: string) => this.call('connection', cluster);

  /** Events forwarded by the host from its own socket; `subscribe` asks it for one cluster's stream. */
  events(onEvent: EventListener, onState?: ConnectionListener): EventSubscription {
    let open = true;
    this.channel.onMessage((message) => {
      if (!open) return;
      if (message.type === 'event') onEvent(message.event);
      else if (message.type === 'connection') onState?.(message.connected);
    });
    this.channel.send({ type: 'subscribe', cluster: null });
    return {
      subscribe: (cluster) => open && this.channel.send({ type: 'subscribe', cluster }),
      close: () => void (open = false),
    };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each operation's answer type is the port's
  private async call(operation: ManagerOperation, ...args: unknown[]): Promise<any> {
    try {
      return await this.channel.request(operation, ...args);
    } catch (e) {
      if (e instanceof HostCallError)
        throw new ApiRequestError(e.reply.status, e.reply.code, e.reply.message, e.reply.field);
      throw e;
    }
  }
}
