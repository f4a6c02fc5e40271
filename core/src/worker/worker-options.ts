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
  /** Bytes; the worker pauses near it and each thread's heap is limited to its share. */
  memoryLimit?: number | null;
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
