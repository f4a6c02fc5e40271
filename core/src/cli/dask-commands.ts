import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaskSchedulerProcess } from '../dask/dask-scheduler-process.js';
import { LocalDaskCluster } from '../dask/local-dask-cluster.js';
import { defaultPython } from '../dask/python.js';
import { integer, resources } from './args.js';
import { waitForSignal } from './signals.js';
import { parseBytes } from '../units/memory.js';

/** Options of `drover local` and `drover scheduler` that mean nothing to Dask. */
const DROVER_ONLY = ['tls-cert', 'tls-key', 'tls-ca', 'token', 'heartbeat-timeout', 'port'];

function refuseDroverOnly(values: Record<string, unknown>, command: string): void {
  for (const option of DROVER_ONLY)
    if (values[option] !== undefined)
      throw new Error(`drover ${command} --engine dask: --${option} is a Drover-engine option; leave it out`);
}

/** `drover local --engine dask`: a Dask scheduler and workers in the foreground until a signal. */
export async function runDaskLocal(values: Record<string, string | boolean | undefined>): Promise<number> {
  refuseDroverOnly(values, 'local');
  if (values.host !== undefined && values.host !== '127.0.0.1')
    throw new Error('drover local --engine dask: the scheduler listens on 127.0.0.1 only; leave --host out');
  const memory = values['memory-limit'] as string | undefined;
  const cluster = await LocalDaskCluster.start({
    workers: integer(values.workers as string | undefined, '--workers', 2),
    threadsPerWorker: integer(
      values['threads-per-worker'] as string | undefined,
      '--threads-per-worker',
      1,
      1,
    ),
    memoryLimit: memory === undefined ? null : parseBytes(memory, '--memory-limit') || null,
    resources: resources(values.resources as string | undefined),
    ...(values.python ? { python: values.python as string } : {}),
    ...(values['scheduler-file'] ? { schedulerFile: values['scheduler-file'] as string } : {}),
  });
  process.stdout.write(
    [
      `Local Dask cluster with ${cluster.status().workersConnected} workers at ${cluster.schedulerAddress}`,
      `Connect: from dask.distributed import Client; client = Client(${JSON.stringify(cluster.schedulerAddress)})`,
      `     or: Client(scheduler_file=${JSON.stringify(cluster.schedulerFile)})`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await waitForSignal();
  await cluster.close();
  return 0;
}

/** `drover scheduler --engine dask`: Dask's scheduler alone, for workers started elsewhere (ESPEI). */
export async function runDaskScheduler(
  values: Record<string, string | boolean | undefined>,
): Promise<number> {
  refuseDroverOnly(values, 'scheduler');
  const directory = mkdtempSync(join(tmpdir(), 'drover-dask-'));
  try {
    const scheduler = await DaskSchedulerProcess.start({
      python: (values.python as string | undefined) ?? defaultPython(),
      host: (values.host as string | undefined) ?? '127.0.0.1',
      directory,
      ...(values['scheduler-file'] ? { schedulerFile: values['scheduler-file'] as string } : {}),
    });
    process.stdout.write(
      `Dask scheduler at ${scheduler.address}\nScheduler file: ${scheduler.schedulerFile}\n`,
    );
    const exited = new Promise<void>((resolve) => scheduler.child.once('exit', () => resolve()));
    await Promise.race([waitForSignal(), exited]);
    await scheduler.stop();
    return 0;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
