import type { ClusterModel, ClusterSpec, ConnectionModel } from '../manager/api-types.js';
import { findManager, type ManagerLocation } from '../manager/manager-file.js';

/** A cluster as a notebook sees it: the manager's model, with the engine made explicit. */
export type NotebookCluster = ClusterModel & { engine: 'drover' | 'dask' };

/**
 * The running manager's API, found the way every kernel finds it (`DROVER_MANAGER_FILE`,
 * `DROVER_MANAGER_URL` + `DROVER_TOKEN`, else the newest live manager file).
 */
export class ManagerApi {
  private constructor(readonly location: ManagerLocation) {}

  /** Finds the manager; throws an error saying how to start one when there is none. */
  static find(env: NodeJS.ProcessEnv = process.env): ManagerApi {
    return new ManagerApi(findManager(env));
  }

  /** Every cluster of the manager. */
  async clusters(): Promise<NotebookCluster[]> {
    const models = (await this.get('/api/clusters')) as (ClusterModel & { engine?: 'drover' | 'dask' })[];
    return models.map((m) => ({ ...m, engine: m.engine ?? 'drover' }));
  }

  /** Address, token and authority of one cluster. */
  async connection(name: string): Promise<ConnectionModel> {
    return (await this.get(`/api/clusters/${encodeURIComponent(name)}/connection`)) as ConnectionModel;
  }

  /** Starts a cluster from a spec (`POST /api/clusters`); resolves with its model once it runs. */
  async create(spec: ClusterSpec): Promise<NotebookCluster> {
    const model = (await this.request('POST', '/api/clusters', spec)) as ClusterModel & {
      engine?: 'drover' | 'dask';
    };
    return { ...model, engine: model.engine ?? 'drover' };
  }

  /** Closes a cluster: its workers stop, its jobs are cancelled. */
  async close(name: string): Promise<void> {
    await this.request('DELETE', `/api/clusters/${encodeURIComponent(name)}`);
  }

  private get(path: string): Promise<unknown> {
    return this.request('GET', path);
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const { url, token, source } = this.location;
    let response: Response;
    try {
      response = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new Error(
        `the Drover manager at ${url} (from ${source}) does not answer: ${(error as Error).message}; ` +
          'is drover serve still running?',
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(
        `the Drover manager at ${url} answered ${response.status} to ${method} ${path}: ${message}`,
      );
    }
    return text ? (JSON.parse(text) as unknown) : null;
  }
}
