import { Client, type ClientOptions } from '../client/client.js';
import type { ClusterSpec } from '../manager/api-types.js';
import { ManagerApi, type NotebookCluster } from './manager-api.js';

/**
 * The clusters of the running Drover manager (the one `drover serve` or the JupyterLab sidebar
 * started for this user).
 */
export async function clusters(): Promise<NotebookCluster[]> {
  return ManagerApi.find().clusters();
}

/**
 * Starts a cluster through the running manager, so it shows in the dashboard and the sidebars too;
 * resolves once it runs. Close it with {@link closeCluster} when the notebook is done.
 *
 * ```ts
 * const cluster = await startCluster({ kind: 'local', scale: 2 });
 * const client = await connect(cluster.name);
 * ```
 */
export async function startCluster(spec: ClusterSpec): Promise<NotebookCluster> {
  return ManagerApi.find().create(spec);
}

/** Closes a cluster of the running manager (its workers stop, its jobs are cancelled). */
export async function closeCluster(name: string): Promise<void> {
  return ManagerApi.find().close(name);
}

/**
 * A client connected to a Drover-engine cluster of the running manager: the one named, or the only
 * one. The address, token and certificate authority come from the manager, never from the notebook.
 *
 * ```ts
 * import { connect } from '@drover/core/notebook';
 * const client = await connect();            // or connect('local-1')
 * ```
 *
 * #### Notes
 * Errors list the clusters there are when the choice is unclear. A Dask-engine cluster is for Python
 * kernels (`import drover; client = drover.connect("NAME")`).
 */
export async function connect(name?: string, options: ClientOptions = {}): Promise<Client> {
  if (name !== undefined && (typeof name !== 'string' || name === ''))
    throw new TypeError(`name: give a cluster's name (a non-empty string), got ${JSON.stringify(name)}`);
  for (const key of Object.keys(options))
    if (!CLIENT_OPTIONS.includes(key))
      throw new TypeError(`connect: unknown option '${key}'; the options are ${CLIENT_OPTIONS.join(', ')}`);
  const api = ManagerApi.find();
  const chosen = choose(await api.clusters(), name);
  const { address, token, tls } = await api.connection(chosen.name);
  if (!token) throw new Error(`the manager gave no token for cluster ${chosen.name}`);
  return Client.connect(
    { address, token, ...(tls?.ca ? { tlsCa: tls.ca } : {}) },
    { name: `notebook-${chosen.name}`, ...options },
  );
}

const CLIENT_OPTIONS = ['name', 'timeoutMs', 'tlsCa'];

/** The cluster to connect to; errors name the choices. */
function choose(all: NotebookCluster[], name: string | undefined): NotebookCluster {
  const listed = (cs: NotebookCluster[]): string =>
    cs.map((c) => `${c.name} (${c.engine} engine, ${c.kind}, ${c.state})`).join(', ') || 'none';
  if (name !== undefined) {
    const found = all.find((c) => c.name === name);
    if (!found) throw new Error(`no cluster named '${name}'; the manager has: ${listed(all)}`);
    if (found.engine !== 'drover')
      throw new Error(
        `cluster '${name}' runs the Dask engine, which takes Python clients: in a Python kernel, ` +
          `import drover; client = drover.connect(${JSON.stringify(name)}). ` +
          'From TypeScript, connect to a Drover-engine cluster (start one with engine "drover").',
      );
    if (found.state !== 'running')
      throw new Error(`cluster '${name}' is ${found.state}, not running; wait for it or start another`);
    return found;
  }
  const candidates = all.filter((c) => c.engine === 'drover' && c.state === 'running');
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0)
    throw new Error(
      `no running Drover-engine cluster to connect to (the manager has: ${listed(all)}); ` +
        'start one from the dashboard or the sidebar, or with POST /api/clusters',
    );
  throw new Error(
    `${candidates.length} Drover-engine clusters are running; say which: connect("${candidates[0]!.name}"). ` +
      `They are: ${listed(candidates)}`,
  );
}
