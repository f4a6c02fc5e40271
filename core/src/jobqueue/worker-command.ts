import type { TlsFiles } from '../protocol/tls.js';
import { JobQueueConfigError } from './errors.js';
import type { ResolvedJob } from './resolved-job.js';
import { checkPath, shellQuote } from './shell-safety.js';

/**
 * How a worker finds its scheduler: an address plus a file holding the token (the token itself is
 * never written into the job script), or a scheduler file that holds both.
 */
export type SchedulerConnection =
  | {
      readonly address: string;
      readonly tokenFile: string;
      /** A wss:// scheduler's certificate files; workers serve with the same certificate. */
      readonly tls?: TlsFiles;
    }
  | { readonly schedulerFile: string }
  | DaskConnection;

/**
 * A Dask scheduler (the Dask engine): workers are `python -m distributed.cli.dask_worker`, and with
 * TLS they present the cluster's certificate, signed by the authority made for that cluster.
 */
export interface DaskConnection {
  readonly dask: { readonly address: string; readonly python: string; readonly tls?: TlsFiles };
}

/** What a Dask-engine job script shows before its scheduler exists. */
export const DASK_PREVIEW_CONNECTION: DaskConnection = {
  dask: {
    address: 'tls://scheduler-address-not-known-yet:0',
    python: '/usr/bin/python3',
    tls: { ca: '/path/to/cluster-ca.pem', cert: '/path/to/cluster.pem', key: '/path/to/cluster.key' },
  },
};

/** What `jobScript()` shows before a scheduler exists; the script is valid but connects nowhere. */
export const PREVIEW_CONNECTION: SchedulerConnection = {
  address: 'ws://scheduler-address-not-known-yet:0',
  tokenFile: '/path/to/token-file',
};

/**
 * The worker command line of a job, as argv (before shell quoting): the engine's `drover worker`
 * CLI with threads, processes, per-worker memory limit, resources, lifetime and directories.
 *
 * #### Notes
 * `localDirectory` may hold `$VAR` references (e.g. `$TMPDIR`), so {@link renderWorkerCommand}
 * double-quotes it (expanded, not split); it was checked to hold no other shell syntax.
 */
export function workerArgv(job: ResolvedJob, connection: SchedulerConnection, workerName: string): string[] {
  if ('dask' in connection) return daskWorkerArgv(job, connection, workerName);
  const argv = [...job.workerCommand, 'worker'];
  if ('schedulerFile' in connection) {
    argv.push('--scheduler-file', checkPath('schedulerFile', connection.schedulerFile));
  } else {
    if (!/^wss?:\/\/[A-Za-z0-9.:[\]-]+(?:\/[A-Za-z0-9._/-]*)?$/.test(connection.address)) {
      throw new JobQueueConfigError('address', `"${connection.address}" is not a ws:// or wss:// address`);
    }
    argv.push(connection.address, '--token-file', checkPath('tokenFile', connection.tokenFile));
    const tls = connection.tls;
    if (tls?.cert && tls.key) {
      argv.push('--tls-cert', checkPath('tls.cert', tls.cert), '--tls-key', checkPath('tls.key', tls.key));
    }
    const ca = tls?.ca ?? tls?.cert;
    if (ca) argv.push('--tls-ca', checkPath('tls.ca', ca));
  }
  argv.push(
    '--name',
    workerName,
    '--nthreads',
    String(job.threadsPerWorker),
    '--nworkers',
    String(job.processes),
    '--memory-limit',
    String(job.memoryPerWorkerBytes),
  );
  if (job.memoryPause !== undefined) argv.push('--memory-pause', String(job.memoryPause));
  if (job.memoryRestart !== undefined) argv.push('--memory-restart', String(job.memoryRestart));
  // gpus is per job; each of the job's worker processes declares its share (validated to divide).
  const perProcess = job.gpus / job.processes;
  const resources = { ...(job.gpus > 0 ? { gpus: perProcess } : {}), ...job.resources };
  const pairs = Object.entries(resources).map(([k, v]) => `${k}=${v}`);
  if (pairs.length > 0) argv.push('--resources', pairs.join(','));
  // Grid Engine names the RSMAP variable after the site's consumable (SGE_HGR_<name>).
  if (job.kind === 'sge' && job.gpus > 0 && job.sgeGpuResource !== 'gpu')
    argv.push('--sge-gpu-resource', job.sgeGpuResource);
  if (job.pool !== undefined) argv.push('--pool', job.pool);
  if (job.lifetimeSeconds !== null) argv.push('--lifetime', String(job.lifetimeSeconds));
  argv.push('--death-timeout', String(job.deathTimeout));
  if (job.localDirectory !== undefined) argv.push('--local-directory', job.localDirectory);
  if (job.interface !== undefined) argv.push('--interface', job.interface);
  argv.push(...job.workerExtraArgs);
  return argv;
}

/** The worker command as one line of shell, each argument quoted where needed. */
export function renderWorkerCommand(
  job: ResolvedJob,
  connection: SchedulerConnection,
  workerName: string,
): string {
  const argv = workerArgv(job, connection, workerName);
  return argv
    .map((arg, i) =>
      argv[i - 1] === '--local-directory' && arg.includes('$') ? `"${arg}"` : shellQuote(arg),
    )
    .join(' ');
}

/**
 * The Dask worker command of a job: one `dask_worker` with `--nworkers` processes sharing the job's
 * cores and memory, named after the job's worker name (Dask adds `-0`, `-1`… per process).
 */
function daskWorkerArgv(job: ResolvedJob, connection: DaskConnection, workerName: string): string[] {
  const { address, python, tls } = connection.dask;
  if (!/^(tcp|tls):\/\/[A-Za-z0-9.:[\]-]+$/.test(address))
    throw new JobQueueConfigError('address', `"${address}" is not a tcp:// or tls:// address`);
  const argv = [checkPath('python', python), '-m', 'distributed.cli.dask_worker', address];
  argv.push('--name', workerName, '--nthreads', String(job.threadsPerWorker));
  argv.push('--nworkers', String(job.processes), '--memory-limit', String(job.memoryPerWorkerBytes));
  const resources = { ...(job.gpus > 0 ? { GPU: job.gpus / job.processes } : {}), ...job.resources };
  const pairs = Object.entries(resources).map(([k, v]) => `${k}=${v}`);
  if (pairs.length > 0) argv.push('--resources', pairs.join(' '));
  // Workers leave before the walltime kills them, spread out so a job's replacement has time to
  // start (dask-jobqueue's advice is 4 minutes on hour-long jobs; a tenth of short ones).
  if (job.lifetimeSeconds !== null) {
    const stagger = Math.min(240, Math.floor(job.lifetimeSeconds / 10));
    argv.push('--lifetime', `${job.lifetimeSeconds}s`, '--lifetime-stagger', `${stagger}s`);
  }
  argv.push('--death-timeout', String(job.deathTimeout));
  if (job.localDirectory !== undefined) argv.push('--local-directory', job.localDirectory);
  if (job.interface !== undefined) argv.push('--interface', job.interface);
  if (tls?.ca && tls.cert && tls.key)
    argv.push(
      '--tls-ca-file',
      checkPath('tls.ca', tls.ca),
      '--tls-cert',
      checkPath('tls.cert', tls.cert),
      '--tls-key',
      checkPath('tls.key', tls.key),
    );
  argv.push(...job.workerExtraArgs);
  return argv;
}
