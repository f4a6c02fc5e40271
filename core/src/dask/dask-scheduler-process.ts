import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TlsFiles } from '../protocol/tls.js';
import { TaskStream } from '../scheduler/task-stream.js';
import type { TaskEvent } from '../protocol/messages.js';
import { DaskHttp } from './dask-http.js';
import { GROUPS_PREFIX, SCHEDULER_PRELOAD, TASKS_PREFIX } from './scheduler-preload.js';

/** Dask's scheduler file (`distributed.Scheduler` writes it; `Client(scheduler_file=…)` reads it). */
interface DaskSchedulerFile {
  address: string;
  services?: { dashboard?: number };
}

export interface DaskSchedulerOptions {
  python: string;
  /** Interface the scheduler listens on. */
  host: string;
  /** Where the scheduler file and the log go (the cluster's private directory). */
  directory: string;
  /** Dask's scheduler file at a path of the user's choosing; default `<directory>/scheduler.json`. */
  schedulerFile?: string;
  port?: number;
  /** Listen on tls:// with these files (the cluster's own authority); clients must present a certificate. */
  tls?: Required<TlsFiles>;
}

/** How long a scheduler may take to import distributed and listen (slow on a loaded node). */
const START_TIMEOUT_MS = 60_000;

/**
 * `python -m distributed.cli.dask_scheduler` as a child process: started, its address read from the
 * scheduler file it writes, stopped with SIGTERM (then SIGKILL).
 */
export class DaskSchedulerProcess {
  /** Every task that finished, as the preload pushed them (the last 100,000). */
  readonly taskStream = new TaskStream();
  /** Tasks by group and state, as Dask's task groups count them. */
  groups: Record<string, Record<string, number>> = {};

  private constructor(
    readonly child: ChildProcess,
    readonly address: string,
    readonly schedulerFile: string,
    readonly http: DaskHttp,
    private readonly output: string[],
  ) {}

  static async start(options: DaskSchedulerOptions): Promise<DaskSchedulerProcess> {
    const schedulerFile = options.schedulerFile ?? join(options.directory, 'scheduler.json');
    const preload = join(options.directory, 'drover_preload.py');
    await writeFile(preload, SCHEDULER_PRELOAD);
    const args = [
      '-m',
      'distributed.cli.dask_scheduler',
      '--host',
      options.host,
      '--port',
      String(options.port ?? 0),
      '--scheduler-file',
      schedulerFile,
      // The JSON routes Drover reads; Dask's bokeh pages are not installed. Loopback only.
      '--dashboard-address',
      '127.0.0.1:0',
      '--preload',
      preload,
      ...(options.tls
        ? [
            '--protocol',
            'tls',
            '--tls-ca-file',
            options.tls.ca,
            '--tls-cert',
            options.tls.cert,
            '--tls-key',
            options.tls.key,
          ]
        : []),
    ];
    const child = spawn(options.python, args, {
      cwd: options.directory,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, DASK_DISTRIBUTED__WORKER__DAEMON: 'False' },
    });
    const output: string[] = [];
    const keep = (chunk: Buffer): void => {
      output.push(chunk.toString('utf8'));
      if (output.length > 200) output.splice(0, output.length - 200);
    };
    child.stderr!.on('data', keep);
    let started: DaskSchedulerProcess | null = null;
    // stdout carries only the preload's task batches, one JSON line each.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (started && line.startsWith(GROUPS_PREFIX)) {
        try {
          started.groups = JSON.parse(line.slice(GROUPS_PREFIX.length)) as Record<
            string,
            Record<string, number>
          >;
        } catch {
          // a torn line at exit
        }
        return;
      }
      if (!line.startsWith(TASKS_PREFIX)) return keep(Buffer.from(line + '\n'));
      if (!started) return;
      try {
        for (const event of JSON.parse(line.slice(TASKS_PREFIX.length)) as TaskEvent[])
          started.taskStream.record(event);
      } catch {
        // a torn line at exit; the stream goes on
      }
    });
    const file = await waitForFile(schedulerFile, child, output, options.python);
    const http = new DaskHttp('127.0.0.1', file.services?.dashboard ?? 0);
    started = new DaskSchedulerProcess(child, file.address, schedulerFile, http, output);
    child.once('exit', () => started?.taskStream.close());
    return started;
  }

  /** The last lines the scheduler printed (for error messages). */
  log(): string {
    return this.output.join('').split('\n').slice(-20).join('\n');
  }

  async stop(): Promise<void> {
    this.taskStream.close();
    await stopChild(this.child);
  }
}

async function waitForFile(
  path: string,
  child: ChildProcess,
  output: string[],
  python: string,
): Promise<DaskSchedulerFile> {
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
  child.once('error', (error) => (exited = error.message));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      const file = JSON.parse(await readFile(path, 'utf8')) as DaskSchedulerFile;
      if (file.address && file.services?.dashboard) return file;
    } catch {
      // not written yet (or half written)
    }
    if (exited !== null || Date.now() > deadline) {
      await stopChild(child);
      const log = output.join('').split('\n').slice(-15).join('\n');
      const hint = /No module named/.test(log)
        ? `; ${python} has no Dask: install python3-distributed or set the option python`
        : '';
      throw new Error(
        `the Dask scheduler (${python} -m distributed.cli.dask_scheduler) did not start` +
          `${exited ? ` (${exited})` : ' within 60 s'}${hint}:\n${log}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. A child started
 * `detached` leads its own process group (a Dask nanny and its worker): the whole group is signalled
 * and waited for, so no worker outlives its nanny.
 */
export async function stopChild(child: ChildProcess, graceMs = 5000, group = false): Promise<void> {
  const pid = child.pid;
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (group && pid) process.kill(-pid, name);
      else child.kill(name);
    } catch {
      // already gone
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
  if (!group || !pid) return;
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) signal('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
