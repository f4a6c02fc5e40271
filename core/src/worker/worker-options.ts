import { hostname } from 'node:os';
import { loadTls, TlsConfigError, type TlsFiles, type TlsMaterial } from '../protocol/tls.js';

/** Options of {@link Worker.start}. */
export interface WorkerOptions {
  /** Scheduler address, `ws://host:port`. */
  scheduler: string;
  token: string;
  /** Shown in the dashboard and logs. Default: host and pid. */
  name?: string;
  /** Slots: function tasks running at once. Default 1. */
  nthreads?: number;
  /** Declared resources, e.g. `{ gpus: 2, licenses: 1 }`; `cores` defaults to nthreads. */
  resources?: Record<string, number>;
  /**
   * The GPU device ids this worker hands to its tasks (as many as `resources.gpus`): the batch
   * system's assignment or a share of it (see `workerGpuIds`). Default 0…gpus−1.
   */
  gpuIds?: string[];
  /** Named pools this worker serves, e.g. `['training']`. */
  pools?: string[];
  /** Bytes; the worker pauses near it and each thread's heap is limited to its share. 0 or null: no limit. */
  memoryLimit?: number | null;
  /** Thresholds as fractions of `memoryLimit` (see {@link MemoryThresholds}). */
  memoryThresholds?: Partial<MemoryThresholds>;
  /** The worker leaves after this long (walltime-aware clusters set it below the job's walltime). */
  lifetimeMs?: number | null;
  /** How long before the end of its lifetime the worker stops taking tasks. Default min(30 s, 10 %). */
  lifetimeMarginMs?: number;
  /** Interface for the data server; default: the one that routes to the scheduler. */
  host?: string;
  heartbeatMs?: number;
  connectTimeoutMs?: number;
  /**
   * TLS: `ca` checks the scheduler's and peers' certificates; `cert` and `key` serve this worker's
   * results over wss://. Required (cert and key) when the scheduler's address is wss://.
   */
  tls?: TlsFiles;
}

/** `host-pid`, unique enough on one cluster. */
export function defaultWorkerName(): string {
  return `${hostname()}-${process.pid}`;
}

/**
 * The worker's certificate files, read. A worker of a wss:// scheduler serves its results over TLS
 * too, so it needs a certificate and key of its own.
 */
export function workerTls(options: WorkerOptions, prefix = 'tls.'): TlsMaterial | null {
  const tls = options.tls ? loadTls(options.tls, prefix) : null;
  if (options.scheduler.startsWith('wss://') && !tls?.cert) {
    throw new TlsConfigError(
      `${prefix}cert`,
      `the scheduler ${options.scheduler} uses TLS, so this worker serves its results over TLS too: ` +
        'give it a certificate and key (--tls-cert, --tls-key)',
    );
  }
  return tls;
}

/**
 * What a worker does as its memory (the process's resident set) grows, as fractions of its limit,
 * like Dask's nanny: above `pause` it takes no new tasks (until it is back below pause − 0.1); above
 * `restart` it restarts, its running tasks going back to the scheduler. `restart: 0` never restarts.
 */
export interface MemoryThresholds {
  /** @defaultValue 0.8 (Dask's distributed.worker.memory.pause) */
  pause: number;
  /** @defaultValue 0.95 (Dask's distributed.worker.memory.terminate) */
  restart: number;
}

export const DEFAULT_MEMORY_THRESHOLDS: MemoryThresholds = { pause: 0.8, restart: 0.95 };

/** The thresholds with defaults filled in; throws a RangeError naming a fraction outside (0, 1]. */
export function memoryThresholds(given: Partial<MemoryThresholds> = {}): MemoryThresholds {
  const t = { ...DEFAULT_MEMORY_THRESHOLDS, ...given };
  for (const [name, value] of Object.entries(t)) {
    const off = name === 'restart' && value === 0;
    if (!off && !(typeof value === 'number' && value > 0 && value <= 1))
      throw new RangeError(
        `memory ${name} threshold must be a fraction of the limit in (0, 1], got ${String(value)}`,
      );
  }
  if (t.restart !== 0 && t.restart < t.pause)
    throw new RangeError(`memory restart threshold ${t.restart} is below the pause threshold ${t.pause}`);
  return t;
}
