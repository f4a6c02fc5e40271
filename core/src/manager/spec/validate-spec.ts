import type { Installation } from '../../installation.js';
import { JobQueueConfigError } from '../../jobqueue/errors.js';
import { loadTls, parseTlsFiles, TlsConfigError, type TlsFiles } from '../../protocol/tls.js';
import { BATCH_KINDS, type BatchKind } from '../../jobqueue/options.js';
import type { ResolvedJob } from '../../jobqueue/resolved-job.js';
import { resolveJob } from '../../jobqueue/validate.js';
import { parseBytes } from '../../units/memory.js';
import type { ClusterKind, ClusterSpec } from '../api-types.js';
import { CLUSTER_KINDS } from './fields.js';
import { SpecError } from './spec-error.js';
import { checkLocalFits } from './machine-limits.js';
import { checkEngineFit, engineOf, joinsOf } from './engine.js';
import { confineTemplateDirectory } from './template-roots.js';
import { BOUNDS, hasControlCharacter, integerProblem, shown, textProblem } from '../../validation/bounds.js';

/** Largest start size the manager accepts, a guard against a typo such as 2000 instead of 20. */
export const MAX_SCALE = BOUNDS.scale;
const LOCAL_OPTION_NAMES = new Set(['threadsPerWorker', 'memoryLimit', 'resources', 'pools', 'python']);

/** A valid spec with its defaults filled in, as it is shown, saved and sent (plain JSON). */
export interface ValidSpec extends ClusterSpec {
  scale: number;
  adapt: { minimum: number; maximum: number } | null;
  options: Record<string, unknown>;
  tls?: TlsFiles;
}

/** A local cluster's options, parsed: what `LocalCluster.start` takes. */
export interface LocalSettings {
  threadsPerWorker: number;
  /** Bytes per worker, or null for no limit. */
  memoryLimit: number | null;
  resources: Record<string, number>;
  pools: string[];
}

/**
 * A checked spec with what its kind resolves to, computed once and passed to whatever starts,
 * renders or saves the cluster: the parsed local settings, or the batch job with every unit parsed.
 */
export type CheckedSpec =
  | { kind: 'local'; spec: ValidSpec & { kind: 'local' }; local: LocalSettings }
  | { kind: BatchKind; spec: ValidSpec & { kind: BatchKind }; job: ResolvedJob };

/**
 * Checks a cluster spec from any source (form, CLI, API, saved profile) and fills in defaults.
 *
 * @throws SpecError naming the first field at fault and how to fix it.
 */
export function validateClusterSpec(input: unknown): ValidSpec {
  return checkClusterSpec(input).spec;
}

/**
 * As {@link validateClusterSpec}, returning also what the kind resolves to. A batch job's default
 * worker command comes from `installation` (default: this process's Node and Drover).
 *
 * @throws SpecError naming the first field at fault and how to fix it.
 */
export function checkClusterSpec(input: unknown, installation?: Installation): CheckedSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SpecError('spec', 'must be a JSON object such as {"kind": "local", "scale": 2}');
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!['kind', 'engine', 'name', 'joins', 'scale', 'adapt', 'options', 'tls'].includes(key))
      throw new SpecError(
        key === '' ? '""' : key.slice(0, BOUNDS.nameLength),
        'is not a cluster spec field; use kind, engine, name, joins, scale, adapt, options or tls',
      );
  }
  const kind = raw.kind;
  if (typeof kind !== 'string' || !CLUSTER_KINDS.includes(kind as ClusterKind)) {
    throw new SpecError('kind', `${JSON.stringify(kind)} is not one of ${CLUSTER_KINDS.join(', ')}`);
  }
  const engine = engineOf(raw.engine);
  const spec: ValidSpec = {
    kind: kind as ClusterKind,
    ...(engine === 'dask' ? { engine } : {}),
    scale: wholeNumber(raw.scale, 'scale', 0, MAX_SCALE) ?? (kind === 'local' ? 2 : 1),
    adapt: adaptBounds(raw.adapt),
    options: optionsOf(raw.options),
  };
  const name = clusterName(raw.name);
  if (name !== undefined) spec.name = name;
  const joins = joinsOf(raw.joins, engine);
  if (joins !== undefined) spec.joins = joins;
  checkEngineFit(engine, spec.kind, spec.options, raw.tls !== undefined && raw.tls !== null);
  const tls = tlsFilesOf(raw.tls);
  if (tls) spec.tls = tls;
  if (isLocal(spec)) {
    const local = checkLocalOptions(spec.options);
    checkLocalFits(spec.scale, spec.options, 'scale');
    if (spec.adapt) checkLocalFits(spec.adapt.maximum, spec.options, 'adapt.maximum');
    return { kind: 'local', spec, local };
  }
  if (isBatch(spec)) {
    const job = checkBatchOptions(spec.kind, spec.options, installation);
    if (typeof spec.options.templateDirectory === 'string')
      confineTemplateDirectory(spec.options.templateDirectory);
    return { kind: spec.kind, spec, job };
  }
  throw new SpecError('kind', `${JSON.stringify(kind)} is not one of ${CLUSTER_KINDS.join(', ')}`);
}

const isLocal = (spec: ValidSpec): spec is ValidSpec & { kind: 'local' } => spec.kind === 'local';
const isBatch = (spec: ValidSpec): spec is ValidSpec & { kind: BatchKind } =>
  (BATCH_KINDS as readonly string[]).includes(spec.kind);

/**
 * A display name: 1–64 characters, no control characters. Any other character is allowed because
 * names are only ever shown as text (never as markup) and never reach a shell.
 */
export function clusterName(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new SpecError('name', `${JSON.stringify(value)} is not a string`);
  const name = value.trim();
  if (name.length === 0 || name.length > BOUNDS.nameLength)
    throw new SpecError(
      'name',
      `must be 1 to ${BOUNDS.nameLength} characters; leave it empty for "<kind>-<n>"`,
    );
  if (hasControlCharacter(name))
    throw new SpecError('name', 'contains a control character (newline, tab, …); use printable text');
  return name;
}

/** The bounds of adaptive scaling, or null when the spec asks for a fixed size. */
export function adaptBounds(value: unknown): { minimum: number; maximum: number } | null {
  if (value === undefined || value === null || value === false) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new SpecError('adapt', 'must be {"minimum": m, "maximum": M} or null for a fixed size');
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v))
    if (key !== 'minimum' && key !== 'maximum')
      throw new SpecError(
        `adapt.${key.slice(0, BOUNDS.nameLength)}`,
        'is not an adapt field; use minimum and maximum',
      );
  const minimum = wholeNumber(v.minimum, 'adapt.minimum', 0, MAX_SCALE) ?? 0;
  const maximum = wholeNumber(v.maximum, 'adapt.maximum', 0, MAX_SCALE);
  if (maximum === undefined) throw new SpecError('adapt.maximum', 'is required when adapting, e.g. 10');
  if (maximum < minimum)
    throw new SpecError(
      'adapt.maximum',
      `${maximum} is below the minimum ${minimum}; raise it or lower the minimum`,
    );
  return { minimum, maximum };
}

/**
 * The certificate files of a spec, read once so a wrong path or a missing key is a field error
 * (`tls.cert`, `tls.key`, `tls.ca`) before anything starts; null when the spec has none.
 */
export function tlsFilesOf(value: unknown): TlsFiles | null {
  try {
    const files = parseTlsFiles(value);
    if (files && !loadTls(files).cert)
      throw new TlsConfigError('tls.cert', 'serving TLS needs a certificate and its key');
    return files;
  } catch (e) {
    if (e instanceof TlsConfigError) throw new SpecError(e.field, e.message.slice(e.field.length + 2));
    throw e;
  }
}

/** A whole number in [min, max], or undefined when absent. */
export function wholeNumber(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const problem = integerProblem(value, min, max);
  if (problem) throw new SpecError(field, problem);
  return value as number;
}

function optionsOf(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new SpecError('options', 'must be an object of the kind\'s parameters, e.g. {"cores": 8}');
  // Empty strings mean "not set" (a cleared form input), as for every optional parameter.
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== ''));
}

function checkLocalOptions(options: Record<string, unknown>): LocalSettings {
  for (const key of Object.keys(options)) {
    if (!LOCAL_OPTION_NAMES.has(key))
      throw new SpecError(
        `options.${key}`,
        `is not a local-cluster parameter; use ${[...LOCAL_OPTION_NAMES].join(', ')}`,
      );
  }
  const threadsPerWorker =
    wholeNumber(options.threadsPerWorker, 'options.threadsPerWorker', 1, BOUNDS.threadsPerWorker) ?? 1;
  let memoryLimit: number | null = null;
  if (options.memoryLimit !== undefined) {
    let bytes: number;
    try {
      bytes = parseBytes(options.memoryLimit as string | number, 'options.memoryLimit');
    } catch (e) {
      throw fromConfigError(e, '');
    }
    if (bytes > BOUNDS.memoryBytes)
      throw new SpecError('options.memoryLimit', `is more than ${BOUNDS.memoryBytes} bytes (1 PiB)`);
    memoryLimit = bytes;
  }
  const resources = options.resources;
  if (resources !== undefined) {
    if (typeof resources !== 'object' || resources === null || Array.isArray(resources))
      throw new SpecError('options.resources', 'must be a map of names to numbers, e.g. {"gpus": 1}');
    const entries = Object.entries(resources);
    if (entries.length > BOUNDS.mapEntries)
      throw new SpecError('options.resources', `has more than ${BOUNDS.mapEntries} entries`);
    for (const [k, v] of entries) {
      if (k.length > BOUNDS.nameLength || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k))
        throw new SpecError(
          `options.resources.${k.slice(0, BOUNDS.nameLength)}`,
          `is not a resource name (up to ${BOUNDS.nameLength} letters, digits, _ . -)`,
        );
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > BOUNDS.resourceAmount)
        throw new SpecError(
          `options.resources.${k}`,
          `${shown(v)} is not a number between 0 and ${BOUNDS.resourceAmount}`,
        );
    }
  }
  const pools = options.pools;
  if (pools !== undefined && (!Array.isArray(pools) || pools.length > BOUNDS.listItems))
    throw new SpecError('options.pools', `must be a list of at most ${BOUNDS.listItems} pool names`);
  (pools as unknown[] | undefined)?.forEach((p, i) => {
    const problem =
      typeof p !== 'string' || p === ''
        ? `${shown(p)} is not a pool name`
        : textProblem(p, BOUNDS.nameLength);
    if (problem) throw new SpecError(`options.pools[${i}]`, problem);
  });
  return {
    threadsPerWorker,
    memoryLimit: memoryLimit === 0 ? null : memoryLimit,
    resources: { ...(resources as Record<string, number> | undefined) },
    pools: [...((pools as string[] | undefined) ?? [])],
  };
}

function checkBatchOptions(
  kind: BatchKind,
  options: Record<string, unknown>,
  installation: Installation | undefined,
): ResolvedJob {
  try {
    return resolveJob(kind, options, installation);
  } catch (e) {
    throw fromConfigError(e, 'options.');
  }
}

/** A job-queue error as a SpecError whose field is the spec path. */
function fromConfigError(e: unknown, prefix: string): Error {
  if (e instanceof JobQueueConfigError) {
    const field = e.field === 'kind' ? 'kind' : `${prefix}${e.field}`;
    return new SpecError(field, e.message.slice(e.field.length + 2));
  }
  return e as Error;
}
