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
  | { readonly schedulerFile: string };

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
