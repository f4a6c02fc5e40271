import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Client } from '../client/client.js';
import type { TaskSubmitter } from '../client/submitter.js';
import type { CommandResult } from '../worker/command-task.js';
import type { CommandSpec } from '../worker/command-spec.js';
import type { Future } from '../client/future.js';
import type { Cluster } from '../cluster/cluster.js';
import { LocalCluster } from '../cluster/local-cluster.js';
import { Scheduler, type SchedulerOptions } from '../scheduler/scheduler.js';
import type { Installation } from '../installation.js';
import { JobQueueConfigError } from './errors.js';
import { JobQueueCluster } from './job-queue-cluster.js';
import { schedulerHost } from './network-interface.js';
import { BATCH_KINDS, type BatchKind } from './options.js';
import { resolveJob } from './validate.js';

/**
 * One kind of task and where it runs (psiflow's per-task-type executor): a local pool of worker
 * processes or a batch system's jobs, the cores and GPUs each task takes, the MPI command its
 * programs start with, and how many workers or jobs there are.
 */
export interface ExecutionDefinition {
  /** `local`, or a batch system (`slurm`, `pbs`, `lsf`, `sge`) whose job options follow. */
  readonly kind: 'local' | BatchKind;
  /** Cores one task takes (its `resources.cores`). @defaultValue 1 */
  readonly coresPerTask?: number;
  /** GPUs one task takes. @defaultValue 0 */
  readonly gpusPerTask?: number;
  /** Launcher of this definition's command tasks, e.g. "srun -n {cores}" or "mpirun -np {cores}". */
  readonly mpiCommand?: string;
  /** Retries and time limit of its tasks (see SubmitOptions). */
  readonly retries?: number;
  readonly timeoutMs?: number;
  /** Size at start: workers (local, or converted to jobs), or jobs. */
  readonly workers?: number;
  readonly jobs?: number;
  /** Adaptive bounds: workers, or jobs (batch). */
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minimumJobs?: number;
  readonly maximumJobs?: number;
  /** Local only: slots per worker and memory limit per worker. */
  readonly threadsPerWorker?: number;
  readonly memoryLimit?: number | string;
  /** Batch only: the job options (cores, memory, gpus, walltime, queue, account, prologue, …). */
  readonly [jobOption: string]: unknown;
}

/** A configuration file's content: the shared scheduler's settings and the definitions by name. */
export interface ExecutionsConfig {
  readonly scheduler?: Pick<SchedulerOptions, 'host' | 'port' | 'schedulerFile'>;
  /** `default` serves tasks submitted without a pool; every other name is a pool. */
  readonly executions: Readonly<Record<string, ExecutionDefinition>>;
}

/** Fields of a definition that are not job options. */
const OWN_FIELDS = [
  'kind',
  'coresPerTask',
  'gpusPerTask',
  'mpiCommand',
  'retries',
  'timeoutMs',
  'workers',
  'jobs',
  'minimum',
  'maximum',
  'minimumJobs',
  'maximumJobs',
] as const;
const LOCAL_FIELDS = ['threadsPerWorker', 'memoryLimit'];

/**
 * Several execution definitions from one configuration file, kept apart from the workflow: one
 * scheduler, one cluster per definition (its name is its pool), and for each a submitter whose tasks
 * take that definition's resources and launcher.
 *
 * ```ts
 * const executions = await Executions.start('drover.yaml');
 * const client = await Client.connect(executions);
 * const model = executions.on(client, 'training').submit(train, data);
 * const energy = executions.command(client, 'reference', { argv: ['cp2k.psmp', '-i', 'in.inp'] });
 * ```
 */
export class Executions {
  private constructor(
    readonly scheduler: Scheduler,
    readonly clusters: ReadonlyMap<string, Cluster>,
    private readonly definitions: Readonly<Record<string, ExecutionDefinition>>,
  ) {}

  /**
   * Reads a YAML file (or takes the configuration itself), checks every definition, starts the
   * scheduler and the clusters. Nothing is left running when one fails to start.
   *
   * @throws JobQueueConfigError naming `executions.<name>.<field>`.
   */
  static async start(
    source: string | ExecutionsConfig,
    options: { installation?: Installation } = {},
  ): Promise<Executions> {
    const config = typeof source === 'string' ? await readConfig(source) : source;
    const definitions = checkConfig(config, options.installation);
    const batch = Object.values(definitions).some((d) => d.kind !== 'local');
    // Batch workers reach the scheduler over the network: listen on this host's address then.
    const host = config.scheduler?.host ?? (batch ? await schedulerHost(undefined) : '127.0.0.1');
    const scheduler = await Scheduler.start({ ...config.scheduler, host });
    const clusters = new Map<string, Cluster>();
    const executions = new Executions(scheduler, clusters, definitions);
    try {
      for (const [name, definition] of Object.entries(definitions)) {
        clusters.set(name, await startOne(name, definition, scheduler, options.installation));
      }
    } catch (error) {
      await executions.close();
      throw error;
    }
    return executions;
  }

  get schedulerAddress(): string {
    return this.scheduler.address;
  }

  get token(): string {
    return this.scheduler.token;
  }

  get tlsCa(): string | null {
    return null;
  }

  /** Submits tasks of definition `name`: its pool, cores and GPUs per task, retries, time limit. */
  on(client: Client, name: string): TaskSubmitter {
    const d = this.definition(name);
    return client.with({
      ...(name === 'default' ? {} : { pool: name }),
      resources: { cores: d.coresPerTask ?? 1, ...(d.gpusPerTask ? { gpus: d.gpusPerTask } : {}) },
      ...(d.retries !== undefined ? { retries: d.retries } : {}),
      ...(d.timeoutMs !== undefined ? { timeoutMs: d.timeoutMs } : {}),
    });
  }

  /** Runs a program as a task of definition `name`, started by its `mpiCommand` unless `spec` has a launcher. */
  command(client: Client, name: string, spec: CommandSpec): Future<CommandResult> {
    const launcher = spec.launcher ?? this.definition(name).mpiCommand;
    return this.on(client, name).command({ ...spec, ...(launcher !== undefined ? { launcher } : {}) });
  }

  /** Closes every cluster (their workers and jobs), then the scheduler. */
  async close(): Promise<void> {
    await Promise.all([...this.clusters.values()].map((c) => c.close()));
    await this.scheduler.close();
  }

  private definition(name: string): ExecutionDefinition {
    const d = this.definitions[name];
    if (!d)
      throw new JobQueueConfigError(
        'execution',
        `"${name}" is not defined; the configuration defines ${Object.keys(this.definitions).join(', ')}`,
      );
    return d;
  }
}

async function readConfig(path: string): Promise<ExecutionsConfig> {
  let doc: unknown;
  try {
    doc = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new JobQueueConfigError('executions', `${path}: ${(error as Error).message}`);
  }
  return doc as ExecutionsConfig;
}

/** Checks the configuration before anything starts; every error names the definition and field. */
function checkConfig(
  config: ExecutionsConfig,
  installation?: Installation,
): Record<string, ExecutionDefinition> {
  const section = (config as { executions?: unknown } | null)?.executions;
  if (
    typeof section !== 'object' ||
    section === null ||
    Array.isArray(section) ||
    Object.keys(section).length === 0
  )
    throw new JobQueueConfigError(
      'executions',
      'must map names to definitions, e.g. { default: { kind: local } }',
    );
  const out: Record<string, ExecutionDefinition> = {};
  for (const [name, raw] of Object.entries(section as Record<string, unknown>)) {
    const field = `executions.${name}`;
    if (!/^[A-Za-z0-9_.-]+$/.test(name))
      throw new JobQueueConfigError(field, 'is not a name (letters, digits, _ . -): it becomes the pool');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new JobQueueConfigError(field, 'must be a map of settings with a kind');
    const d = raw as ExecutionDefinition;
    if (d.kind !== 'local' && !BATCH_KINDS.includes(d.kind as BatchKind))
      throw new JobQueueConfigError(`${field}.kind`, `must be local or one of ${BATCH_KINDS.join(', ')}`);
    for (const key of [
      'coresPerTask',
      'gpusPerTask',
      'workers',
      'jobs',
      'minimum',
      'maximum',
      'minimumJobs',
      'maximumJobs',
    ] as const) {
      const v = d[key];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
        throw new JobQueueConfigError(`${field}.${key}`, `${JSON.stringify(v)} is not a whole number ≥ 0`);
    }
    if (d.mpiCommand !== undefined && (typeof d.mpiCommand !== 'string' || /[\n\r]/.test(d.mpiCommand)))
      throw new JobQueueConfigError(`${field}.mpiCommand`, 'must be one line, e.g. "srun -n {cores}"');
    if (d.kind === 'local') {
      const unknown = Object.keys(d).filter(
        (k) => !(OWN_FIELDS as readonly string[]).includes(k) && !LOCAL_FIELDS.includes(k),
      );
      if (unknown.length > 0)
        throw new JobQueueConfigError(
          `${field}.${unknown[0]}`,
          `is not a setting of a local definition (${LOCAL_FIELDS.join(', ')})`,
        );
      if (d.jobs !== undefined || d.minimumJobs !== undefined || d.maximumJobs !== undefined)
        throw new JobQueueConfigError(
          `${field}.jobs`,
          'a local definition has no jobs; give workers (and minimum/maximum)',
        );
      fitsWorker(field, d, d.threadsPerWorker ?? 1, Infinity);
    } else {
      const job = withField(field, () =>
        resolveJob(d.kind as BatchKind, jobOptionsOf(name, d), installation),
      );
      fitsWorker(field, d, job.threadsPerWorker, job.gpus / job.processes);
    }
    out[name] = d;
  }
  return out;
}

/** Runs `check`, naming its errors' fields under `field` (`executions.md.cores`). */
function withField<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof JobQueueConfigError)
      throw new JobQueueConfigError(`${field}.${error.field}`, error.message.slice(error.field.length + 2));
    throw error;
  }
}

/** Refuses tasks bigger than one worker of their definition: they could never start. */
function fitsWorker(field: string, d: ExecutionDefinition, cores: number, gpus: number): void {
  if ((d.coresPerTask ?? 1) > cores)
    throw new JobQueueConfigError(
      `${field}.coresPerTask`,
      `${d.coresPerTask} is more than a worker's ${cores} cores (cores / processes, or threadsPerWorker); lower it or give each worker more`,
    );
  if ((d.gpusPerTask ?? 0) > gpus)
    throw new JobQueueConfigError(
      `${field}.gpusPerTask`,
      `${d.gpusPerTask} is more than a worker's ${gpus} GPUs (gpus / processes); lower it or give each worker more`,
    );
}

/** A batch definition's job options: everything but its own fields, with its pool. */
function jobOptionsOf(name: string, d: ExecutionDefinition): Record<string, unknown> {
  const options: Record<string, unknown> = { ...d };
  for (const key of OWN_FIELDS) delete options[key];
  if (name !== 'default') options.pool = name;
  return options;
}

async function startOne(
  name: string,
  d: ExecutionDefinition,
  scheduler: Scheduler,
  installation: Installation | undefined,
): Promise<Cluster> {
  const adapt =
    d.minimum !== undefined || d.maximum !== undefined
      ? { minimum: d.minimum, maximum: d.maximum }
      : d.minimumJobs !== undefined || d.maximumJobs !== undefined
        ? { minimumJobs: d.minimumJobs, maximumJobs: d.maximumJobs }
        : null;
  let cluster: Cluster;
  if (d.kind === 'local') {
    cluster = await LocalCluster.start({
      name,
      workers: d.workers ?? 1,
      ...(d.threadsPerWorker !== undefined ? { threadsPerWorker: d.threadsPerWorker } : {}),
      ...(d.memoryLimit !== undefined ? { memoryLimit: d.memoryLimit } : {}),
      ...(name === 'default' ? {} : { pools: [name] }),
      scheduler,
      ...(installation ? { installation } : {}),
    });
  } else {
    cluster = await JobQueueCluster.start(d.kind, {
      ...(jobOptionsOf(name, d) as unknown as Parameters<typeof JobQueueCluster.start>[1]),
      clusterName: name,
      scheduler,
      ...(installation ? { installation } : {}),
    });
    if (d.jobs !== undefined) await cluster.scale({ jobs: d.jobs });
    else if (d.workers !== undefined) await cluster.scale(d.workers);
  }
  if (adapt) cluster.adapt(adapt);
  return cluster;
}
