import type { TlsFiles } from '../protocol/tls.js';
import type { DaskSchedulerProcess } from './dask-scheduler-process.js';
import type { DaskWorkerInfo } from './dask-http.js';

/** Another Dask-engine cluster's scheduler that a cluster's workers join (it stays that cluster's). */
export interface SharedDaskScheduler {
  readonly scheduler: DaskSchedulerProcess;
  /** Its TLS files when it listens on tls:// (batch clusters); workers present the same certificate. */
  readonly tls: Required<TlsFiles> | null;
}

/** The workers of one cluster on a scheduler that may serve several: those named after its own. */
export function ownWorkers(all: DaskWorkerInfo[], names: Iterable<string>): DaskWorkerInfo[] {
  const bases = [...names];
  return all.filter((w) => bases.some((base) => w.name === base || w.name.startsWith(`${base}-`)));
}
