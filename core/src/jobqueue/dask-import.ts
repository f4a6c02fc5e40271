import { parse } from 'yaml';
import { JobQueueConfigError } from './errors.js';
import { BATCH_KINDS, type BatchKind, type JobQueueOptions } from './options.js';

/** One imported `jobqueue.<kind>` section. */
export interface DaskImportResult {
  readonly kind: BatchKind;
  /** Drover options; `cores`/`memory` may be missing when the section left them null. */
  readonly options: Partial<JobQueueOptions>;
  /** Keys that were renamed, ignored or need a look, one sentence each. */
  readonly warnings: readonly string[];
}

// dask key (kebab-case, old names included) → Drover option.
const RENAMES: Readonly<Record<string, keyof JobQueueOptions>> = {
  cores: 'cores',
  memory: 'memory',
  processes: 'processes',
  queue: 'queue',
  account: 'account',
  project: 'account',
  walltime: 'walltime',
  name: 'name',
  interface: 'interface',
  'local-directory': 'localDirectory',
  'log-directory': 'logDirectory',
  'death-timeout': 'deathTimeout',
  shebang: 'shebang',
  'job-extra-directives': 'jobExtraDirectives',
  'job-extra': 'jobExtraDirectives',
  'job-directives-skip': 'jobDirectivesSkip',
  'header-skip': 'jobDirectivesSkip',
  'job-script-prologue': 'jobScriptPrologue',
  'env-extra': 'jobScriptPrologue',
  'job-script-epilogue': 'jobScriptEpilogue',
  'worker-extra-args': 'workerExtraArgs',
  extra: 'workerExtraArgs',
  'resource-spec': 'resourceSpec',
  'job-cpu': 'jobCpu',
  'job-mem': 'jobMem',
  'lsf-units': 'lsfUnitsForLimits',
  'use-stdin': 'useStdin',
};

const OLD_NAMES: Readonly<Record<string, string>> = {
  'job-extra': 'job-extra-directives',
  'header-skip': 'job-directives-skip',
  'env-extra': 'job-script-prologue',
  extra: 'worker-extra-args',
  project: 'account',
};

// Keys that mean something only to Python/Dask workers or to dask's own scheduler.
const IGNORED: Readonly<Record<string, string>> = {
  python: 'Drover workers run on Node; set workerCommand if the default node/drover paths do not fit',
  'worker-command': 'Drover starts its own worker; set workerCommand instead',
  nanny: 'Drover workers have no nanny process',
  protocol: 'Drover workers connect over ws:// or wss://',
  security: 'Drover uses a per-scheduler token (and TLS when given a certificate)',
  'scheduler-options': 'scheduler settings belong to the cluster, not the job',
  'scheduler-cls': 'scheduler settings belong to the cluster, not the job',
  'shared-temp-directory': 'Drover writes its token file in the log/state directory',
  'silence-logs': 'Drover has its own logger',
  'config-name': 'not needed: import the section you want',
  ncpus: 'LSF -n follows cores in Drover',
  mem: 'give memory instead (as a size such as 16GB)',
  'job-name': 'use name',
  'memory-per-core-property-name': 'OAR only',
  'submit-command-extra': 'HTCondor only',
  'cancel-command-extra': 'HTCondor only',
  disk: 'HTCondor only',
};

/**
 * Imports the `jobqueue.slurm|pbs|lsf|sge` sections of a dask `jobqueue.yaml` into Drover options,
 * with a warning for every key renamed, ignored or unknown. Null values (dask's "unset") are skipped.
 *
 * @throws JobQueueConfigError when the text is not YAML or holds no supported section.
 */
export function importDaskJobqueueConfig(
  yamlText: string,
  kinds: readonly BatchKind[] = BATCH_KINDS,
): DaskImportResult[] {
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (e) {
    throw new JobQueueConfigError('jobqueue', `not valid YAML: ${(e as Error).message}`);
  }
  const root = (doc as { jobqueue?: unknown } | null)?.jobqueue ?? doc;
  if (typeof root !== 'object' || root === null)
    throw new JobQueueConfigError('jobqueue', 'no "jobqueue:" map found');
  const results: DaskImportResult[] = [];
  for (const kind of kinds) {
    const section = (root as Record<string, unknown>)[kind];
    if (typeof section === 'object' && section !== null && !Array.isArray(section)) {
      results.push(importSection(kind, section as Record<string, unknown>));
    }
  }
  if (results.length === 0) {
    throw new JobQueueConfigError(
      'jobqueue',
      `no section for ${kinds.join(', ')} (HTCondor, OAR and Moab are not supported)`,
    );
  }
  return results;
}

function importSection(kind: BatchKind, section: Record<string, unknown>): DaskImportResult {
  const options: Record<string, unknown> = {};
  const warnings: string[] = [];
  // New names first, so an old name (env-extra, job-extra, extra) only fills what the new one left
  // empty: dask-jobqueue reads them the same way.
  const entries = Object.entries(section).sort(([a], [b]) => Number(a in OLD_NAMES) - Number(b in OLD_NAMES));
  for (const [key, value] of entries) {
    if (value === null || value === undefined) continue;
    const target = RENAMES[key];
    if (target === undefined) {
      warnings.push(
        IGNORED[key]
          ? `jobqueue.${kind}.${key} is ignored: ${IGNORED[key]}`
          : `jobqueue.${kind}.${key} is not a dask-jobqueue key Drover knows; it was left out`,
      );
      continue;
    }
    if (OLD_NAMES[key]) {
      const current = options[target];
      if (current !== undefined && !(Array.isArray(current) && current.length === 0)) {
        warnings.push(`jobqueue.${kind}.${key} is ignored because ${OLD_NAMES[key]} is also set`);
        continue;
      }
      warnings.push(
        `jobqueue.${kind}.${key} is dask's old name for ${OLD_NAMES[key]}; imported as ${target}`,
      );
    }
    if (target === 'deathTimeout' && typeof value === 'string' && /^\d+$/.test(value))
      options[target] = Number(value);
    else if (target === 'deathTimeout' && typeof value === 'number') options[target] = Math.ceil(value);
    else options[target] = value;
    if (target === 'workerExtraArgs' && Array.isArray(value) && value.length > 0) {
      warnings.push(
        `jobqueue.${kind}.${key} is passed to drover worker as is; check that dask-worker flags in it apply`,
      );
    }
  }
  return { kind, options: options as Partial<JobQueueOptions>, warnings };
}
