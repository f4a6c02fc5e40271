import { request } from 'node:http';

/** A worker as the Dask scheduler's `/json/identity.json` reports it. */
export interface DaskWorkerInfo {
  address: string;
  name: string;
  host: string;
  nthreads: number;
  /** Bytes; 0 means no limit. */
  memoryLimit: number;
  resources: Record<string, number>;
  cpu: number | null;
  memory: number | null;
  executing: number;
  status: string;
}

/** The scheduler's task and worker counts (`/json/counts.json`). */
export interface DaskCounts {
  tasks: number;
  processing: number;
  waiting: number;
  memory: number;
  erred: number;
  workers: number;
  /** What Dask's own adaptive logic asks for (`adaptive_target`). */
  desiredWorkers: number;
}

/**
 * Reads the Dask scheduler's JSON routes over its HTTP port. These work without bokeh (Debian has
 * none), carry no pickled data, and are served on loopback only.
 */
export class DaskHttp {
  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async workers(): Promise<DaskWorkerInfo[]> {
    const identity = (await this.get('/json/identity.json')) as { workers?: Record<string, RawWorker> };
    return Object.entries(identity.workers ?? {}).map(([address, w]) => ({
      address,
      name: String(w.name ?? address),
      host: w.host ?? '',
      nthreads: w.nthreads ?? 0,
      memoryLimit: w.memory_limit ?? 0,
      resources: w.resources ?? {},
      cpu: typeof w.metrics?.cpu === 'number' ? w.metrics.cpu : null,
      memory: typeof w.metrics?.memory === 'number' ? w.metrics.memory : null,
      executing: w.metrics?.task_counts?.executing ?? 0,
      status: w.status ?? 'running',
    }));
  }

  async counts(): Promise<DaskCounts> {
    const c = (await this.get('/json/counts.json')) as Record<string, number>;
    return {
      tasks: c.tasks ?? 0,
      processing: c.processing ?? 0,
      waiting: c.waiting ?? 0,
      memory: c.memory ?? 0,
      erred: c.erred ?? 0,
      workers: c.workers ?? 0,
      desiredWorkers: c.desired_workers ?? 0,
    };
  }

  private get(path: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, path, timeout: 5000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error as Error);
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`Dask scheduler did not answer ${path} within 5 s`)));
      req.on('error', reject);
      req.end();
    });
  }
}

interface RawWorker {
  name?: string | number;
  host?: string;
  nthreads?: number;
  memory_limit?: number;
  resources?: Record<string, number>;
  status?: string;
  metrics?: { cpu?: number; memory?: number; task_counts?: { executing?: number } };
}
