import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readSchedulerFile } from '../scheduler/scheduler-file.js';
import { parseBytes } from '../units/memory.js';
import { interfaceAddress } from '../jobqueue/network-interface.js';
import { createLogger } from '../logger.js';
import { detectLocalGpus, GpuAssignmentError, splitGpus, workerGpuIds } from '../worker/gpu-devices.js';
import { Worker } from '../worker/worker.js';
import { memoryThresholds, workerTls, type MemoryThresholds } from '../worker/worker-options.js';
import { asUsageError, tlsFiles } from './tls-options.js';
import { integer, parse, resources, seconds, UsageError } from './args.js';

const log = createLogger('worker');

export const workerHelp = `Usage: drover worker [ADDRESS] [options]

Starts a worker that joins the scheduler at ADDRESS (ws://host:port or wss://) and runs tasks.

Options:
  --scheduler-file PATH   connect through a scheduler file instead of ADDRESS (waits for it to appear)
  --token TOKEN           the scheduler's token (default: $DROVER_TOKEN); prefer --token-file
  --token-file PATH       read the token from a file (mode 0600)
  --nthreads N            slots: tasks running at once (default 1)
  --nworkers P            start P worker processes, each with --nthreads slots (default 1)
  --memory-limit SIZE     per worker, e.g. 4GB (0: no limit); see --memory-pause and --memory-restart
  --memory-pause F        take no new tasks above this fraction of the limit (default 0.8)
  --memory-restart F      restart the worker above this fraction (default 0.95; 0: never); its running
                          tasks go back to the scheduler, and one that does this too often fails
  --name NAME             name shown in the dashboard (default host-pid; -i suffix with --nworkers)
  --resources LIST        declared resources, e.g. gpus=1,licenses=2 (gpus: per worker process)
  --gpu-ids LIST|detect   the GPU devices to hand to tasks (e.g. 2,3); 'detect' asks nvidia-smi -L.
                          Default: the batch system's assignment (CUDA_VISIBLE_DEVICES, SLURM_JOB_GPUS,
                          SGE_HGR_gpu), else 0..gpus-1. With --nworkers each process gets its own share
  --sge-gpu-resource NAME Grid Engine consumable whose SGE_HGR_NAME lists the job's GPUs (default gpu)
  --pool NAME             serve a named pool (repeatable)
  --lifetime DURATION     leave after this long (e.g. 3600, 55m, 01:55:00); stops taking tasks before
  --lifetime-margin DUR   how long before the end to stop taking tasks (default min(30 s, 10 %))
  --death-timeout DUR     how long to keep trying to reach the scheduler, at start and after losing
                          it (default 60 s); a worker that rejoins starts afresh, without results
  --host HOST             address for the data server (default: the one facing the scheduler)
  --interface NAME        listen on this network interface's address (e.g. ib0) instead of --host
  --local-directory DIR   working directory for tasks
  --tls-cert PATH         certificate (PEM) this worker serves its results with; needed for wss://
  --tls-key PATH          its private key
  --tls-ca PATH           authority the scheduler's and peers' certificates are checked against
                          (default: the scheduler file's, else the system's)
  --exit-with-stdin       exit when stdin closes (used by parents that must not leave workers behind)
  -h, --help              show this help
`;

const OPTIONS = {
  'scheduler-file': { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  nthreads: { type: 'string' },
  nworkers: { type: 'string' },
  'memory-limit': { type: 'string' },
  'memory-pause': { type: 'string' },
  'memory-restart': { type: 'string' },
  name: { type: 'string' },
  resources: { type: 'string' },
  'gpu-ids': { type: 'string' },
  'sge-gpu-resource': { type: 'string' },
  pool: { type: 'string', multiple: true },
  lifetime: { type: 'string' },
  'lifetime-margin': { type: 'string' },
  'death-timeout': { type: 'string' },
  host: { type: 'string' },
  interface: { type: 'string' },
  'local-directory': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' },
  'exit-with-stdin': { type: 'boolean' },
} as const;

/** `drover worker`: runs until the scheduler lets it go, it is signalled, or its lifetime ends. */
export async function runWorker(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(workerHelp);
    return 0;
  }
  const nworkers = integer(values.nworkers, '--nworkers', 1, 1);
  const declared = resources(values.resources);
  const gpus = gpuDevices(declared.gpus ?? 0, nworkers, values['gpu-ids'], values['sge-gpu-resource']);
  if (nworkers > 1) return superviseWorkers(argv, nworkers, values.name, gpus);
  // Every option is checked before anything starts, so a typo fails at once.
  const settings = {
    name: values.name,
    nthreads: integer(values.nthreads, '--nthreads', 1, 1),
    memoryLimit: values['memory-limit'] ? parseBytes(values['memory-limit'], '--memory-limit') : null,
    memoryThresholds: thresholdsOf(values['memory-pause'], values['memory-restart']),
    resources: gpus.length > 0 ? { ...declared, gpus: gpus.length } : declared,
    ...(gpus.length > 0 ? { gpuIds: gpus } : {}),
    pools: values.pool ?? [],
    lifetimeMs: seconds(values.lifetime, '--lifetime'),
    lifetimeMarginMs: seconds(values['lifetime-margin'], '--lifetime-margin') ?? undefined,
    host: values.interface ? interfaceAddress(values.interface, '--interface') : values.host,
  };
  const deathTimeoutMs = seconds(values['death-timeout'], '--death-timeout') ?? 60_000;
  if (values['local-directory']) process.chdir(values['local-directory']);
  const { address, token, tlsCa } = await locateScheduler(positionals[0], values, deathTimeoutMs);
  const tls = tlsFiles(values, tlsCa);
  // Bad certificate files fail now rather than after the retries.
  asUsageError(() => workerTls({ scheduler: address, token, tls }, '--tls-'));
  const schedulerFile = values['scheduler-file'];
  const start = async (lifetimeMs: number | null): Promise<Worker> => {
    // The file may be left from an earlier run until the new scheduler rewrites it: read it again.
    const current = schedulerFile ? await readSchedulerFile(schedulerFile) : { address, token };
    return Worker.start({ scheduler: current.address, token: current.token, ...settings, lifetimeMs, tls });
  };
  return runUntilStopped(start, settings.lifetimeMs, deathTimeoutMs, values['exit-with-stdin'] ?? false);
}

/**
 * Runs a worker until it is stopped (a signal, stdin closing), let go by the scheduler, or its
 * lifetime ends. When the scheduler is lost (a crash, the network) a fresh worker, without results,
 * tries to join for the death timeout, as a Dask worker restarted by its nanny does; it keeps the
 * lifetime left, which counts from the first start (the job's walltime does not restart).
 */
async function runUntilStopped(
  start: (lifetimeMs: number | null) => Promise<Worker>,
  lifetimeMs: number | null,
  deathTimeoutMs: number,
  exitWithStdin: boolean,
): Promise<number> {
  let stopping = false;
  let worker: Worker | null = null;
  const stop = (): void => {
    stopping = true;
    void worker?.stop('closed-by-worker');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (exitWithStdin) process.stdin.on('end', stop).on('close', stop).resume();
  const deadline = lifetimeMs === null ? null : Date.now() + lifetimeMs;
  for (;;) {
    const left = deadline === null ? null : deadline - Date.now();
    if (left !== null && left <= 0) return 0;
    try {
      worker = await connectWithRetry(
        () => start(left),
        deathTimeoutMs,
        () => stopping,
      );
    } catch (error) {
      if (error instanceof StoppedWhileConnecting) return 0;
      throw error;
    }
    if (stopping) void worker.stop('closed-by-worker');
    const reason = await worker.closed;
    if (reason === 'memory-limit' && !stopping) {
      // Its threads (and the memory they held) are gone; a fresh worker joins in their place.
      log.warn('restarting after passing the memory limit');
      continue;
    }
    if (reason !== 'connection-lost' || stopping) return reason === 'connection-lost' ? 1 : 0;
    log.warn(`lost the scheduler; trying to join again for ${deathTimeoutMs / 1000} s`);
  }
}

/** `--memory-pause` and `--memory-restart`, checked (fractions of the limit, restart ≥ pause). */
function thresholdsOf(pause: string | undefined, restart: string | undefined): MemoryThresholds {
  const fraction = (value: string | undefined, flag: string): Record<string, number> => {
    if (value === undefined) return {};
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new UsageError(`${flag} must be a fraction of the memory limit such as 0.8, got '${value}'`);
    return { [flag === '--memory-pause' ? 'pause' : 'restart']: n };
  };
  try {
    return memoryThresholds({
      ...fraction(pause, '--memory-pause'),
      ...fraction(restart, '--memory-restart'),
    });
  } catch (error) {
    if (error instanceof RangeError)
      throw new UsageError(`--memory-pause/--memory-restart: ${error.message}`);
    throw error;
  }
}

/** The worker was told to stop while it was still trying to reach the scheduler. */
class StoppedWhileConnecting extends Error {}

async function locateScheduler(
  positional: string | undefined,
  values: { 'scheduler-file'?: string; token?: string; 'token-file'?: string },
  waitMs: number,
): Promise<{ address: string; token: string; tlsCa?: string }> {
  if (values['scheduler-file']) {
    const path = values['scheduler-file'];
    const file = await retry(() => readSchedulerFile(path), waitMs);
    return { address: file.address, token: file.token, ...(file.tlsCa ? { tlsCa: file.tlsCa } : {}) };
  }
  if (!positional) throw new UsageError('give the scheduler ADDRESS or --scheduler-file');
  let token = values.token ?? process.env.DROVER_TOKEN;
  if (values['token-file']) token = (await readFile(values['token-file'], 'utf8')).trim();
  if (!token) throw new UsageError('no token: pass --token-file, --token or set DROVER_TOKEN');
  return { address: positional, token };
}

/** The scheduler may still be starting (or its job pending): keep trying until the deadline. */
function connectWithRetry<T>(attempt: () => Promise<T>, waitMs: number, stopped: () => boolean): Promise<T> {
  return retry(
    attempt,
    waitMs,
    (error) => !/refused the connection: invalid token|protocol version|certificate/.test(String(error)),
    stopped,
  );
}

async function retry<T>(
  attempt: () => Promise<T>,
  waitMs: number,
  retryable: (error: unknown) => boolean = () => true,
  stopped: () => boolean = () => false,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (stopped()) throw new StoppedWhileConnecting();
      if (Date.now() >= deadline || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * The GPU device ids of all `processes` worker processes together (`perProcess` each): `--gpu-ids`
 * as given or detected, else the batch system's assignment, else 0…n−1. Empty when no GPU is
 * declared or given.
 */
function gpuDevices(
  perProcess: number,
  processes: number,
  flag: string | undefined,
  sgeResource = 'gpu',
): string[] {
  const detect = flag === 'detect';
  const given = flag !== undefined && !detect ? flag.split(',').map((id) => id.trim()) : null;
  if (given?.some((id) => !/^[A-Za-z0-9_:./-]+$/.test(id)))
    throw new UsageError(
      `--gpu-ids takes device ids separated by commas (e.g. 2,3) or 'detect', got '${flag}'`,
    );
  if (given === null && !detect && perProcess === 0) return [];
  try {
    if (given !== null) {
      if (perProcess > 0 && given.length !== perProcess * processes)
        throw new GpuAssignmentError(
          `--gpu-ids lists ${given.length} device(s) but --resources gpus=${perProcess} × --nworkers ${processes} needs ${perProcess * processes}`,
        );
      return given;
    }
    // 'detect' with no count declared: every GPU nvidia-smi lists, shared among the processes.
    if (detect && perProcess === 0) return [...(detectLocalGpus()?.ids ?? [])];
    const found = workerGpuIds(perProcess * processes, process.env, detect, sgeResource);
    log.info(`GPUs ${found.ids.join(',')} (from ${found.source})`);
    return [...found.ids];
  } catch (error) {
    if (error instanceof GpuAssignmentError) throw new UsageError(error.message);
    throw error;
  }
}

/** `--nworkers P`: P worker processes under this one, which forwards signals and waits for them. */
async function superviseWorkers(
  argv: string[],
  count: number,
  baseName: string | undefined,
  gpus: readonly string[],
): Promise<number> {
  // The script this process runs (bin/drover.mjs, or the single-file worker bundle) starts the children.
  const cli = process.argv[1] ?? fileURLToPath(new URL('./main.js', import.meta.url));
  const dropped = new Set(['--nworkers', '--name', '--gpu-ids']);
  const childArgs = argv.filter(
    (arg, i) => !dropped.has(arg) && !dropped.has(argv[i - 1]!) && !/^--(nworkers|gpu-ids)=/.test(arg),
  );
  // Each process gets its own disjoint share of the job's devices.
  const shares = gpus.length > 0 ? splitGpus(gpus, count) : [];
  const children = Array.from({ length: count }, (_, i) => {
    const name = `${baseName ?? `${process.env.HOSTNAME ?? 'worker'}-${process.pid}`}-${i}`;
    const share = shares[i] ? ['--gpu-ids', shares[i].join(',')] : [];
    return spawn(
      process.execPath,
      [cli, 'worker', ...childArgs, ...share, '--name', name, '--exit-with-stdin'],
      { stdio: ['pipe', 'inherit', 'inherit'] },
    );
  });
  const forward = (signal: NodeJS.Signals): void => children.forEach((c) => c.kill(signal));
  process.on('SIGTERM', () => forward('SIGTERM'));
  process.on('SIGINT', () => forward('SIGINT'));
  const codes = await Promise.all(
    children.map((c) => new Promise<number>((resolve) => c.once('exit', (code) => resolve(code ?? 1)))),
  );
  return Math.max(...codes);
}
