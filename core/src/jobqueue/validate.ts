import { defaultInstallation, droverScript, type Installation } from '../installation.js';
import { JobQueueConfigError } from './errors.js';
import { detectLsfUnit, normaliseLsfUnit } from './lsf-units.js';
import { JOB_QUEUE_OPTIONS } from './option-specs.js';
import { BATCH_KINDS, type BatchKind, type JobQueueOptions } from './options.js';
import type { ResolvedJob } from './resolved-job.js';
import { checkOneLine, checkPath, checkScriptLine, checkWord } from './shell-safety.js';
import { checkOptionBounds } from './option-bounds.js';
import { BOUNDS } from '../validation/bounds.js';
import { parseBytes } from '../units/memory.js';
import { parseWalltime } from '../units/walltime.js';
import { workerBundleIn } from './worker-bundle.js';

/**
 * Validates job-queue options for one batch system and fills in every default. The default
 * `workerCommand` is the installation's Node and `drover` script (default: this process's).
 *
 * @throws JobQueueConfigError naming the first option at fault and how to fix it.
 */
export function resolveJob(
  kind: BatchKind,
  options: JobQueueOptions | Readonly<Record<string, unknown>>,
  installation: Installation = defaultInstallation(),
): ResolvedJob {
  if (!BATCH_KINDS.includes(kind)) {
    throw new JobQueueConfigError('kind', `"${String(kind)}" is not one of ${BATCH_KINDS.join(', ')}`);
  }
  const o = options as Readonly<Record<string, unknown>>;
  checkKnownKeys(o);
  checkOptionBounds(o);
  const cores = integer(o, 'cores', 1, undefined, true)!;
  const memoryBytes = parseBytes(required(o, 'memory') as string | number, 'memory');
  if (memoryBytes <= 0 || memoryBytes > BOUNDS.memoryBytes)
    throw new JobQueueConfigError(
      'memory',
      `must be more than 0 bytes and at most ${BOUNDS.memoryBytes} (1 PiB)`,
    );
  const processes = integer(o, 'processes', 1, cores) ?? defaultProcesses(cores);
  const walltimeSeconds = parseWalltime(
    (o.walltime as string | number | undefined) ?? '00:30:00',
    'walltime',
    kind === 'lsf',
  );
  if (walltimeSeconds > BOUNDS.walltimeSeconds)
    throw new JobQueueConfigError(
      'walltime',
      `is longer than ${BOUNDS.walltimeSeconds / 86_400} days; ask for less`,
    );
  const lsfUnitText = str(o, 'lsfUnitsForLimits');
  const lsfUnit = lsfUnitText === undefined ? detectLsfUnit() : normaliseLsfUnit(lsfUnitText);
  if (!lsfUnit)
    throw new JobQueueConfigError('lsfUnitsForLimits', `"${lsfUnitText}" is not KB, MB, GB, TB, PB or EB`);
  const slurmGpu = str(o, 'slurmGpuDirective') ?? 'gres';
  if (slurmGpu !== 'gres' && slurmGpu !== 'gpus') {
    throw new JobQueueConfigError('slurmGpuDirective', `"${slurmGpu}" is not "gres" or "gpus"`);
  }
  const flavour = str(o, 'flavour');
  if (flavour !== undefined && flavour !== 'torque' && flavour !== 'pbspro') {
    throw new JobQueueConfigError(
      'flavour',
      `"${flavour}" is not "torque" or "pbspro" (PBS Pro and OpenPBS); leave it unset to detect it from qstat --version`,
    );
  }
  const jobMem = str(o, 'jobMem');
  if (jobMem !== undefined && !/^\d+[KMGT]?$/i.test(jobMem)) {
    throw new JobQueueConfigError('jobMem', `"${jobMem}" is not a SLURM memory size such as 0, 4000M or 16G`);
  }
  const shebang = str(o, 'shebang') ?? '#!/usr/bin/env bash';
  if (!shebang.startsWith('#!')) throw new JobQueueConfigError('shebang', `"${shebang}" must start with #!`);
  checkOneLine('shebang', shebang);
  const workerLifetime = bool(o, 'workerLifetime') ?? true;
  const bundleDirectory = path(o, 'workerBundle');
  if (bundleDirectory !== undefined && o.workerCommand !== undefined)
    throw new JobQueueConfigError(
      'workerBundle',
      'and workerCommand both say how to start the worker; give one (workerNode names the node with a bundle)',
    );
  const workerNode = str(o, 'workerNode') ?? 'node';
  checkOneLine('workerNode', workerNode);
  const bundle = bundleDirectory === undefined ? undefined : workerBundleIn(bundleDirectory, installation);
  const memoryPause = fractionOption(o, 'memoryPause', false);
  const memoryRestart = fractionOption(o, 'memoryRestart', true);
  if (memoryRestart && memoryRestart < (memoryPause ?? 0.8))
    throw new JobQueueConfigError(
      'memoryRestart',
      `${memoryRestart} is below the pause threshold ${memoryPause ?? 0.8}; a worker must pause before it restarts`,
    );
  const gpus = integer(o, 'gpus', 0) ?? 0;
  if (gpus % processes !== 0) {
    throw new JobQueueConfigError(
      'gpus',
      `${gpus} GPUs cannot be split evenly among processes=${processes} worker processes; ` +
        `make gpus a multiple of processes (e.g. gpus: ${processes * Math.max(1, Math.round(gpus / processes))}) or set processes to a divisor of gpus`,
    );
  }
  return {
    kind,
    cores,
    processes,
    threadsPerWorker: Math.max(1, Math.floor(cores / processes)),
    memoryBytes,
    memoryPerWorkerBytes: Math.floor(memoryBytes / processes),
    walltimeSeconds,
    lifetimeSeconds: workerLifetime
      ? walltimeSeconds - lifetimeMargin(o.lifetimeMargin, walltimeSeconds)
      : null,
    queue: word(o, 'queue'),
    account: kind === 'lsf' ? lsfProject(o) : word(o, 'account'),
    gpus,
    resources: numberMap(o, 'resources'),
    pool: word(o, 'pool'),
    name: word(o, 'name') ?? 'drover-worker',
    jobExtraDirectives: stringList(o, 'jobExtraDirectives').map((d, i) =>
      checkOneLine(`jobExtraDirectives[${i}]`, d),
    ),
    jobDirectivesSkip: stringList(o, 'jobDirectivesSkip').map((d) => d.trim()),
    prologue: lines(o, 'jobScriptPrologue'),
    epilogue: lines(o, 'jobScriptEpilogue'),
    env: stringMap(o, 'env'),
    interface: word(o, 'interface'),
    localDirectory: path(o, 'localDirectory', true),
    logDirectory: path(o, 'logDirectory'),
    workerExtraArgs: stringList(o, 'workerExtraArgs').map((a, i) => checkOneLine(`workerExtraArgs[${i}]`, a)),
    workerCommand: bundle ? [workerNode, bundle.path] : command(o, installation),
    workerBundle: bundle,
    shebang,
    deathTimeout: integer(o, 'deathTimeout', 1) ?? 60,
    memoryPause,
    memoryRestart,
    templateDirectory: str(o, 'templateDirectory'),
    jobCpu: integer(o, 'jobCpu', 1),
    jobMem,
    slurmGpuDirective: slurmGpu,
    resourceSpec: oneLine(o, 'resourceSpec'),
    pbsFlavour: flavour,
    useStdin: bool(o, 'useStdin') ?? true,
    lsfUnit,
    parallelEnvironment: emptyOrWord(o, 'parallelEnvironment') ?? 'smp',
    sgeMemoryResource: emptyOrWord(o, 'sgeMemoryResource') ?? 'mem_free',
    sgeShell: path(o, 'sgeShell') ?? '/bin/bash',
    sgeGpuResource: word(o, 'sgeGpuResource') ?? 'gpu',
  };
}

/**
 * dask-jobqueue's default: cores when ≤ 4, else the smallest divisor of cores that is ≥ √cores.
 * `cores` is at most `BOUNDS.cores`, so the search takes microseconds.
 */
export function defaultProcesses(cores: number): number {
  if (cores <= 4 || !Number.isSafeInteger(cores) || cores > BOUNDS.cores)
    return Math.max(1, Math.min(cores, 4));
  for (let p = Math.ceil(Math.sqrt(cores)); p <= cores; p++) if (cores % p === 0) return p;
  return cores;
}

/** Seconds before the walltime that workers leave (see the `lifetimeMargin` option). */
function lifetimeMargin(value: unknown, walltime: number): number {
  if (value === undefined)
    return Math.min(Math.max(60, Math.ceil(walltime * 0.05)), Math.floor(walltime / 2));
  let margin: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) margin = Math.ceil(value);
  else if (typeof value === 'string' && /^\d+(\.\d+)?%$/.test(value.trim())) {
    margin = Math.ceil((walltime * Number(value.trim().slice(0, -1))) / 100);
  } else if (typeof value === 'string' && /^\d+$/.test(value.trim())) margin = Number(value);
  if (margin === undefined) {
    throw new JobQueueConfigError(
      'lifetimeMargin',
      `${JSON.stringify(value)} is not seconds (e.g. 120) or a percentage ("10%")`,
    );
  }
  if (margin >= walltime) {
    throw new JobQueueConfigError(
      'lifetimeMargin',
      `${margin} s is not shorter than the walltime (${walltime} s); use a smaller margin`,
    );
  }
  return margin;
}

const KNOWN = new Set<string>(JOB_QUEUE_OPTIONS.map((s) => s.name));

function checkKnownKeys(o: Record<string, unknown>): void {
  for (const key of Object.keys(o)) {
    if (KNOWN.has(key) || o[key] === undefined) continue;
    const near = [...KNOWN].find((k) => k.toLowerCase() === key.toLowerCase().replace(/[-_]/g, ''));
    throw new JobQueueConfigError(key, `is not a job-queue option${near ? `; did you mean "${near}"?` : ''}`);
  }
}

function required(o: Record<string, unknown>, field: string): unknown {
  if (o[field] === undefined || o[field] === null) {
    throw new JobQueueConfigError(
      field,
      'is required: say how much each job gets, e.g. { cores: 8, memory: "16GB" }',
    );
  }
  return o[field];
}

function integer(
  o: Record<string, unknown>,
  field: string,
  min: number,
  max?: number,
  req = false,
): number | undefined {
  const v = req ? required(o, field) : o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || (max !== undefined && v > max)) {
    const range = max === undefined ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new JobQueueConfigError(field, `${JSON.stringify(v)} is not a whole number ${range}`);
  }
  return v;
}

/** A fraction of the memory limit in (0, 1]; 0 too when `zeroMeansOff`. */
function fractionOption(
  o: Record<string, unknown>,
  field: string,
  zeroMeansOff: boolean,
): number | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v > 0 || (zeroMeansOff && v === 0)) || v > 1)
    throw new JobQueueConfigError(
      field,
      `${JSON.stringify(v)} is not a fraction of the memory limit between 0 and 1 (e.g. 0.8)${zeroMeansOff ? '; 0 turns it off' : ''}`,
    );
  return v;
}

function str(o: Record<string, unknown>, field: string): string | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new JobQueueConfigError(field, `${JSON.stringify(v)} is not a string`);
  return v;
}

function bool(o: Record<string, unknown>, field: string): boolean | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean')
    throw new JobQueueConfigError(field, `${JSON.stringify(v)} is not true or false`);
  return v;
}

const word = (o: Record<string, unknown>, f: string): string | undefined => {
  const v = str(o, f);
  return v === undefined ? undefined : checkWord(f, v);
};
/**
 * LSF's project (-P) may hold single spaces: `#BSUB` lines are read by bsub, which takes a quoted
 * value (`#BSUB -P "Dask On LSF"`), not by a shell. Each word is still a safe word, so quotes,
 * newlines and other control characters stay refused.
 */
const lsfProject = (o: Record<string, unknown>): string | undefined => {
  const v = str(o, 'account');
  if (v === undefined) return undefined;
  if (!/^\S+( \S+)*$/.test(v)) return checkWord('account', v);
  for (const part of v.split(' ')) checkWord('account', part);
  return v;
};
const emptyOrWord = (o: Record<string, unknown>, f: string): string | undefined => {
  const v = str(o, f);
  return v === undefined || v === '' ? v : checkWord(f, v);
};
const path = (o: Record<string, unknown>, f: string, variables = false): string | undefined => {
  const v = str(o, f);
  return v === undefined ? undefined : checkPath(f, v, variables);
};
const oneLine = (o: Record<string, unknown>, f: string): string | undefined => {
  const v = str(o, f);
  return v === undefined ? undefined : checkOneLine(f, v);
};

function stringList(o: Record<string, unknown>, field: string): string[] {
  const v = o[field];
  if (v === undefined) return [];
  if (!Array.isArray(v))
    throw new JobQueueConfigError(field, 'must be a list of strings, one entry per item');
  return v.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new JobQueueConfigError(`${field}[${i}]`, `${JSON.stringify(item)} is not a non-empty string`);
    }
    return item;
  });
}

/** Whole lines: a list is kept as given, a string is split on newlines; NUL bytes are refused. */
function lines(o: Record<string, unknown>, field: string): string[] {
  const v = o[field];
  if (v === undefined) return [];
  const list = typeof v === 'string' ? v.split(/\r?\n/) : v;
  if (!Array.isArray(list))
    throw new JobQueueConfigError(field, 'must be a list of shell lines or one string');
  return list.map((line, i) => {
    if (typeof line !== 'string') throw new JobQueueConfigError(`${field}[${i}]`, 'is not a string');
    return checkScriptLine(`${field}[${i}]`, line);
  });
}

function stringMap(o: Record<string, unknown>, field: string): Record<string, string> {
  const v = o[field];
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new JobQueueConfigError(field, 'must be a map of names to strings');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
      throw new JobQueueConfigError(`${field}.${k}`, 'is not a valid environment variable name');
    if (typeof val !== 'string' && typeof val !== 'number')
      throw new JobQueueConfigError(`${field}.${k}`, 'is not a string');
    if (String(val).includes('\0')) throw new JobQueueConfigError(`${field}.${k}`, 'contains a NUL byte');
    out[k] = String(val);
  }
  return out;
}

function numberMap(o: Record<string, unknown>, field: string): Record<string, number> {
  const v = o[field];
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new JobQueueConfigError(field, 'must be a map of names to numbers');
  const out: Record<string, number> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k))
      throw new JobQueueConfigError(`${field}.${k}`, 'is not a resource name (letters, digits, _ . -)');
    if (typeof val !== 'number' || !Number.isFinite(val) || val < 0)
      throw new JobQueueConfigError(`${field}.${k}`, `${JSON.stringify(val)} is not a number ≥ 0`);
    out[k] = val;
  }
  return out;
}

function command(o: Record<string, unknown>, installation: Installation): string[] {
  const v = o.workerCommand;
  if (v === undefined) return [installation.nodePath, droverScript(installation)];
  const argv = typeof v === 'string' ? v.trim().split(/\s+/) : v;
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string' || a === '')) {
    throw new JobQueueConfigError(
      'workerCommand',
      'must be a non-empty list of arguments, e.g. ["/usr/bin/node", "/opt/drover/bin/drover.mjs"]',
    );
  }
  return argv.map((a: string, i: number) => checkOneLine(`workerCommand[${i}]`, a));
}
