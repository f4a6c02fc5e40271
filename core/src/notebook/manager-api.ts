import type { ConnectionModel, ClusterModel } from '../manager/api-types.js';
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

  private async get(path: string): Promise<unknown> {
    const { url, token, source } = this.location;
    let response: Response;
    try {
      response = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
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
      throw new Error(`the Drover manager at ${url} answered ${response.status} to ${path}: ${message}`);
    }
    return JSON.parse(text) as unknown;
  }
}
