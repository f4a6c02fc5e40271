import type {
  ApiErrorBody,
  ClusterModel,
  ClusterSpec,
  DryRunModel,
  GroupProgress,
  JobModel,
  ProfileModel,
  RenderResult,
  SpecDescription,
  WorkerModel,
} from '@drover/core/ui';

/** Where the manager listens and the token it requires. Never shown, logged or put on a command line. */
export interface ManagerEndpoint {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  token: string;
}

/** An error answer of the manager, with the spec field it names (e.g. `options.walltime`). */
export class ManagerRequestError extends Error {
  override readonly name = 'ManagerRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Workers, task groups and throughput of a cluster now. */
export interface ClusterMetrics {
  workers: WorkerModel[];
  groups: GroupProgress[];
  tasksPerSecond: number;
}

/**
 * The manager's HTTP API from the extension host (Node's `fetch`), with the token in a header.
 *
 * #### Notes
 * Method names follow the UI's `ManagerPort` so webview requests map onto them one to one.
 */
export class ManagerClient {
  constructor(readonly endpoint: ManagerEndpoint) {}

  spec(): Promise<SpecDescription> {
    return this.json('GET', 'api/spec');
  }
  render(spec: ClusterSpec): Promise<RenderResult> {
    return this.json('POST', 'api/render', spec);
  }
  dryRun(spec: ClusterSpec): Promise<DryRunModel> {
    return this.json('POST', 'api/dry-run', spec);
  }
  clusters(): Promise<ClusterModel[]> {
    return this.json('GET', 'api/clusters');
  }
  cluster(name: string): Promise<ClusterModel> {
    return this.json('GET', `api/clusters/${encodeURIComponent(name)}`);
  }
  create(spec: ClusterSpec): Promise<ClusterModel> {
    return this.json('POST', 'api/clusters', spec);
  }
  scale(name: string, scale: number): Promise<ClusterModel> {
    return this.json('PATCH', `api/clusters/${encodeURIComponent(name)}`, { scale });
  }
  adapt(name: string, adapt: { minimum: number; maximum: number } | null): Promise<ClusterModel> {
    return this.json('PATCH', `api/clusters/${encodeURIComponent(name)}`, { adapt });
  }
  close(name: string): Promise<void> {
    return this.json('DELETE', `api/clusters/${encodeURIComponent(name)}`);
  }
  profiles(): Promise<ProfileModel[]> {
    return this.json('GET', 'api/profiles');
  }
  saveProfile(name: string, spec: ClusterSpec): Promise<ProfileModel> {
    return this.json('PUT', `api/profiles/${encodeURIComponent(name)}`, spec);
  }
  jobs(cluster: string): Promise<JobModel[]> {
    return this.json('GET', `api/clusters/${encodeURIComponent(cluster)}/jobs`);
  }
  metrics(cluster: string): Promise<ClusterMetrics> {
    return this.json('GET', `api/clusters/${encodeURIComponent(cluster)}/metrics`);
  }
  /** The job script of a spec as text, with the file name the manager proposes. */
  async export(spec: ClusterSpec): Promise<{ text: string; fileName: string }> {
    const response = await this.fetch('POST', 'api/export', spec);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'drover-job.sh';
    return { text: await response.text(), fileName };
  }
  /** The end of a batch job's log. */
  async jobLog(cluster: string, jobId: string, stream: 'stdout' | 'stderr' = 'stdout'): Promise<string> {
    const path = `api/clusters/${encodeURIComponent(cluster)}/jobs/${encodeURIComponent(jobId)}/log`;
    return (await this.fetch('GET', `${path}?stream=${stream}&tail=2000`)).text();
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.endpoint.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, this.endpoint.url), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) {
      let error: ApiErrorBody['error'] = { code: `http-${response.status}`, message: response.statusText };
      try {
        error = ((await response.json()) as ApiErrorBody).error ?? error;
      } catch {
        // not JSON: keep the status text
      }
      throw new ManagerRequestError(response.status, error.code, error.message, error.field);
    }
    return response;
  }
}
