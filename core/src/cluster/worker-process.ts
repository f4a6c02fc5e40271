import { spawn, type ChildProcess } from 'node:child_process';
import { droverScript, type Installation } from '../installation.js';
import type { TlsFiles } from '../protocol/tls.js';
import type { MemoryThresholds } from '../worker/worker-options.js';

const STDERR_TAIL = 4096;

/** Options for one `drover worker` child process. */
export interface WorkerProcessOptions {
  scheduler: string;
  token: string;
  name: string;
  nthreads: number;
  memoryLimit: number | null;
  /** Fractions of the limit at which the worker pauses and restarts (defaults 0.8 and 0.95). */
  memoryThresholds?: Partial<MemoryThresholds>;
  resources: Record<string, number>;
  pools: string[];
  /** Certificate files (paths) for a wss:// scheduler. */
  tls?: TlsFiles | null;
  /** The Node binary and the Drover installation the worker runs from. */
  installation: Installation;
}

/**
 * One `drover worker` child process. Its stdin is a pipe it watches: when this process dies, even by
 * SIGKILL, the pipe closes and the worker exits, so no worker outlives its cluster.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Set before a stop we asked for, so the exit is not taken for a crash. */
  stopping = false;
  private stderr = '';

  constructor(readonly options: WorkerProcessOptions) {
    const args = [
      droverScript(options.installation),
      'worker',
      options.scheduler,
      '--name',
      options.name,
      '--nthreads',
      String(options.nthreads),
      '--exit-with-stdin',
    ];
    if (options.memoryLimit) args.push('--memory-limit', String(options.memoryLimit));
    const { pause, restart } = options.memoryThresholds ?? {};
    if (pause !== undefined) args.push('--memory-pause', String(pause));
    if (restart !== undefined) args.push('--memory-restart', String(restart));
    const resources = Object.entries(options.resources).map(([k, v]) => `${k}=${v}`);
    if (resources.length > 0) args.push('--resources', resources.join(','));
    for (const pool of options.pools) args.push('--pool', pool);
    if (options.tls?.cert) args.push('--tls-cert', options.tls.cert, '--tls-key', options.tls.key!);
    const ca = options.tls?.ca ?? options.tls?.cert;
    if (ca) args.push('--tls-ca', ca);
    // The token travels in the environment, not argv, which other users can read with ps.
    // DROVER_WORKER_NODE_ARGS passes flags to the workers' node (e.g. --cpu-prof) for diagnosis.
    const nodeArgs = process.env.DROVER_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    this.child = spawn(options.installation.nodePath, [...nodeArgs, ...args], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, DROVER_TOKEN: options.token },
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get name(): string {
    return this.options.name;
  }

  /** The last lines the worker wrote to stderr, for error messages. */
  get stderrTail(): string {
    return this.stderr.trim();
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Asks the process to exit (SIGTERM), then kills it after `graceMs`. */
  async kill(graceMs = 5000): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
