import type { TlsFiles } from '../protocol/tls.js';

/** How one Dask worker process is started (`distributed.cli.dask_worker`). */
export interface DaskWorkerShape {
  threads: number;
  /** Bytes per worker; 0 or null = no limit (ESPEI runs its workers so). */
  memoryLimit: number | null;
  /** Abstract resources the worker declares, e.g. `{ GPU: 1 }`; tasks ask with `resources=`. */
  resources: Record<string, number>;
  /** Seconds a worker keeps trying to reach a lost scheduler before it exits. */
  deathTimeout: number;
  /** The cluster's certificate files when its scheduler listens on tls://. */
  tls?: Required<TlsFiles>;
}

/** The arguments after `python` that start one Dask worker of `shape` for `address`. */
export function daskWorkerArgs(
  address: string,
  shape: DaskWorkerShape,
  name: string,
  localDirectory: string,
): string[] {
  const resources = Object.entries(shape.resources)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return [
    '-m',
    'distributed.cli.dask_worker',
    address,
    '--nthreads',
    String(shape.threads),
    '--memory-limit',
    String(shape.memoryLimit ?? 0),
    '--name',
    name,
    '--local-directory',
    localDirectory,
    '--death-timeout',
    String(shape.deathTimeout),
    '--no-dashboard',
    ...(resources ? ['--resources', resources] : []),
    ...(shape.tls
      ? ['--tls-ca-file', shape.tls.ca, '--tls-cert', shape.tls.cert, '--tls-key', shape.tls.key]
      : []),
  ];
}

/**
 * The GPU ids a worker process sees: each worker that declares `GPU: n` gets its own `n` devices
 * (worker k: k·n … k·n+n−1), so two workers never book the same card.
 */
export function visibleDevices(shape: DaskWorkerShape, index: number): string | null {
  const gpus = shape.resources.GPU ?? 0;
  if (!(gpus > 0)) return null;
  return Array.from({ length: gpus }, (_, i) => String(index * gpus + i)).join(',');
}
