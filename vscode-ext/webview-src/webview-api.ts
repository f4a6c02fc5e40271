// The shared UI components take a DroverApi; in a webview its calls go to the extension host.
import {
  ApiRequestError,
  DroverApi,
  type ClusterModel,
  type ClusterSpec,
  type DryRunModel,
  type ProfileModel,
  type RenderResult,
  type SpecDescription,
} from '@drover/core/ui';
import { HostCallError, type HostChannel } from './host-channel';

/**
 * A {@link DroverApi} whose every call is a message to the extension host, which owns the
 * manager's address and token; errors come back as {@link ApiRequestError} with their field.
 */
export class WebviewApi extends DroverApi {
  constructor(private readonly channel: HostChannel) {
    super({ baseUrl: 'about:blank', token: '' });
  }

  override spec(): Promise<SpecDescription> {
    return this.call('spec');
  }
  override render(spec: ClusterSpec): Promise<RenderResult> {
    return this.call('render', spec);
  }
  override dryRun(spec: ClusterSpec): Promise<DryRunModel> {
    return this.call('dryRun', spec);
  }
  override create(spec: ClusterSpec): Promise<ClusterModel> {
    return this.call('create', spec);
  }
  override profiles(): Promise<ProfileModel[]> {
    return this.call('profiles');
  }
  override saveProfile(name: string, spec: ClusterSpec): Promise<ProfileModel> {
    return this.call('saveProfile', name, spec);
  }

  /**
   * Saves through VS Code's save dialog. The form then clicks a download link for the blob it gets,
   * which a webview ignores.
   */
  override async export(spec: ClusterSpec): Promise<{ blob: Blob; fileName: string }> {
    const { text, fileName } = await this.call<{ text: string; fileName: string }>('export', spec);
    await this.channel.host('saveFile', fileName, text);
    return { blob: new Blob([text], { type: 'text/plain' }), fileName };
  }

  override request<T>(method: string, path: string): Promise<T> {
    const jobs = /^api\/clusters\/([^/]+)\/jobs$/.exec(path);
    if (method === 'GET' && jobs) return this.call('jobs', decodeURIComponent(jobs[1]!));
    return Promise.reject(new ApiRequestError(0, 'refused', `${method} ${path} is not available in VS Code`));
  }

  private async call<T>(operation: Parameters<HostChannel['request']>[0], ...args: unknown[]): Promise<T> {
    try {
      return await this.channel.request<T>(operation, ...args);
    } catch (e) {
      if (e instanceof HostCallError)
        throw new ApiRequestError(e.reply.status, e.reply.code, e.reply.message, e.reply.field);
      throw e;
    }
  }
}
