import { JOB_QUEUE_OPTIONS, type OptionSpec } from '../../jobqueue/option-specs.js';
import { BATCH_KINDS } from '../../jobqueue/options.js';
import { BOUNDS } from '../../validation/bounds.js';
import type { ClusterKind, FieldDescriptor } from '../api-types.js';

/** Every cluster kind, local first. */
export const CLUSTER_KINDS: readonly ClusterKind[] = ['local', ...BATCH_KINDS];

/** How each kind is called in forms. */
export const KIND_LABELS: Readonly<Record<ClusterKind, string>> = {
  local: 'Local processes',
  slurm: 'SLURM',
  pbs: 'PBS / Torque',
  lsf: 'LSF',
  sge: 'SGE (Grid Engine)',
};

/** Job-queue options shown before the advanced section. */
const BASIC_BATCH = new Set(['cores', 'memory', 'processes', 'walltime', 'queue', 'account', 'gpus']);

/** The parameters of a local cluster (`LocalCluster.start`), as data like `JOB_QUEUE_OPTIONS`. */
const LOCAL_FIELDS: readonly FieldDescriptor[] = [
  {
    path: 'options.threadsPerWorker',
    label: 'Threads per worker',
    type: 'integer',
    minimum: 1,
    maximum: BOUNDS.threadsPerWorker,
    default: 1,
    help: 'Task slots in each worker process; a task runs in one slot unless it asks for more cores.',
    kinds: ['local'],
    section: 'basic',
  },
  {
    path: 'options.memoryLimit',
    label: 'Memory limit per worker',
    type: 'bytes',
    help: 'Memory each worker may use, e.g. "2GB" or "512MiB"; leave empty for no limit.',
    kinds: ['local'],
    section: 'basic',
  },
  {
    path: 'options.resources',
    label: 'Resources per worker',
    type: 'number-map',
    help: 'Named resources each worker declares, e.g. "gpus=1, licences=2"; tasks that ask for them wait for a worker that has them free.',
    kinds: ['local'],
    section: 'advanced',
  },
  {
    path: 'options.python',
    label: 'Python',
    type: 'string',
    help: 'Dask engine only: the interpreter with python3-distributed that runs the scheduler and workers (default /usr/bin/python3).',
    kinds: ['local'],
    section: 'advanced',
  },
  {
    path: 'options.pools',
    label: 'Worker pools',
    type: 'string[]',
    default: [],
    help: 'Named pools the workers serve (e.g. "training"), one per line; empty means the default pool.',
    kinds: ['local'],
    section: 'advanced',
  },
];

/** Fields every kind has: who it is, how big it starts and whether it adapts. */
const COMMON_FIELDS: readonly FieldDescriptor[] = [
  {
    path: 'kind',
    label: 'Kind',
    type: 'kind',
    default: 'local',
    required: true,
    choices: CLUSTER_KINDS,
    help: 'Where the workers run: processes on this machine, or jobs of a batch system.',
    kinds: CLUSTER_KINDS,
    section: 'basic',
  },
  {
    path: 'engine',
    label: 'Engine',
    type: 'string',
    default: 'drover',
    choices: ['drover', 'dask'],
    help: 'What runs the tasks: "drover" (TypeScript clients) or "dask" (Debian\'s Dask scheduler and workers, for Python\'s dask.distributed clients).',
    kinds: CLUSTER_KINDS,
    section: 'basic',
  },
  {
    path: 'name',
    label: 'Cluster name',
    type: 'string',
    default: '<kind>-<n>',
    help: 'A name unique among this manager\'s clusters, up to 64 characters; default "<kind>-<n>".',
    kinds: CLUSTER_KINDS,
    section: 'basic',
  },
  {
    path: 'scale',
    label: 'Start with',
    type: 'integer',
    minimum: 0,
    maximum: BOUNDS.scale,
    default: 2,
    help: 'Workers to start. Batch: the jobs they need are submitted at once (each job runs "processes" workers, so the count is rounded up to whole jobs).',
    kinds: CLUSTER_KINDS,
    section: 'basic',
  },
  {
    path: 'adapt',
    label: 'Adaptive scaling',
    type: 'adapt',
    default: 'off',
    help: 'Let Drover add workers while tasks wait and remove idle ones, between a minimum and a maximum number of workers (batch: whole jobs of "processes" workers).',
    kinds: CLUSTER_KINDS,
    section: 'basic',
  },
];

/** Certificate files for TLS, for every kind (advanced). */
const TLS_FIELDS: readonly FieldDescriptor[] = [
  {
    path: 'tls.cert',
    label: 'TLS certificate',
    type: 'string',
    help: 'PEM certificate file the scheduler and workers serve wss:// with; leave empty for plain ws:// on a trusted network.',
    kinds: CLUSTER_KINDS,
    section: 'advanced',
  },
  {
    path: 'tls.key',
    label: 'TLS key',
    type: 'string',
    help: 'The private key of the TLS certificate (PEM file).',
    kinds: CLUSTER_KINDS,
    section: 'advanced',
  },
  {
    path: 'tls.ca',
    label: 'TLS certificate authority',
    type: 'string',
    help: 'PEM file of the authority that signed the certificate, which clients trust; empty when the certificate signs itself.',
    kinds: CLUSTER_KINDS,
    section: 'advanced',
  },
];

/** Sentence-case label from a camelCase option name: `jobExtraDirectives` → "Job extra directives". */
function labelOf(name: string): string {
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fromOption(option: OptionSpec): FieldDescriptor {
  const label = option.name === 'name' ? 'Job name' : labelOf(option.name);
  return {
    path: `options.${option.name}`,
    label,
    type: option.type,
    help: option.help,
    ...(option.default !== undefined ? { default: option.default } : {}),
    ...(option.required ? { required: true } : {}),
    ...(option.choices ? { choices: option.choices } : {}),
    ...(option.min !== undefined ? { minimum: option.min } : {}),
    ...(option.max !== undefined ? { maximum: option.max } : {}),
    kinds: option.backends ?? BATCH_KINDS,
    section: BASIC_BATCH.has(option.name) ? 'basic' : 'advanced',
  };
}

/**
 * Every field of a cluster spec, for every kind: the common ones, the local ones, then each
 * job-queue option (read from `JOB_QUEUE_OPTIONS`, so help and defaults are never repeated).
 */
export function specFields(): FieldDescriptor[] {
  return [...COMMON_FIELDS, ...LOCAL_FIELDS, ...JOB_QUEUE_OPTIONS.map(fromOption), ...TLS_FIELDS];
}

/** The fields one kind reads. */
export function fieldsFor(kind: ClusterKind): FieldDescriptor[] {
  return specFields().filter((f) => f.kinds.includes(kind));
}
