import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { userConfigDirectory } from './default-paths.js';
import { parseTlsFiles, TlsConfigError, type TlsFiles } from '../protocol/tls.js';
import { JobQueueConfigError } from './errors.js';
import { BATCH_KINDS, type BatchKind, type JobQueueOptions } from './options.js';
import { resolveJob } from './validate.js';

/** A named, saved job-queue configuration. */
export interface JobQueueProfile {
  readonly kind: BatchKind;
  readonly options: JobQueueOptions;
  /** The scheduler's certificate files, when the cluster serves TLS. */
  readonly tls?: TlsFiles;
}

/** `$XDG_CONFIG_HOME/drover/profiles.yaml`, else `~/.config/drover/profiles.yaml`. */
export function defaultProfilesPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(userConfigDirectory(env), 'profiles.yaml');
}

/**
 * Reads every profile. The file looks like
 * `profiles: { big-slurm: { kind: slurm, cores: 8, memory: 16GB, queue: regular } }`.
 * A missing file means no profiles.
 *
 * @throws JobQueueConfigError naming `profiles.<name>.<field>` for an invalid profile.
 */
export async function loadProfiles(
  path: string = defaultProfilesPath(),
): Promise<Map<string, JobQueueProfile>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw e;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new JobQueueConfigError('profiles', `${path} is not valid YAML: ${(e as Error).message}`);
  }
  const profiles = new Map<string, JobQueueProfile>();
  const section = (doc as { profiles?: unknown } | null)?.profiles;
  if (section === undefined || section === null) return profiles;
  if (typeof section !== 'object' || Array.isArray(section)) {
    throw new JobQueueConfigError('profiles', `${path}: "profiles" must be a map of names to settings`);
  }
  for (const [name, raw] of Object.entries(section as Record<string, unknown>)) {
    profiles.set(name, toProfile(name, raw));
  }
  return profiles;
}

/** Validates and returns one profile from its YAML value. */
function toProfile(name: string, raw: unknown): JobQueueProfile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new JobQueueConfigError(`profiles.${name}`, 'must be a map of settings');
  }
  const { kind, tls, ...options } = raw as Record<string, unknown>;
  if (typeof kind !== 'string' || !BATCH_KINDS.includes(kind as BatchKind)) {
    throw new JobQueueConfigError(`profiles.${name}.kind`, `must be one of ${BATCH_KINDS.join(', ')}`);
  }
  const tlsFiles = profileTls(name, tls);
  try {
    resolveJob(kind as BatchKind, options);
  } catch (e) {
    if (e instanceof JobQueueConfigError) {
      throw new JobQueueConfigError(`profiles.${name}.${e.field}`, e.message.slice(e.field.length + 2));
    }
    throw e;
  }
  return {
    kind: kind as BatchKind,
    options: options as unknown as JobQueueOptions,
    ...(tlsFiles ? { tls: tlsFiles } : {}),
  };
}

/** A profile's `tls: { cert, key, ca }` (paths, read when a cluster starts), checked for shape. */
function profileTls(name: string, raw: unknown): TlsFiles | null {
  try {
    return parseTlsFiles(raw, `profiles.${name}.tls`);
  } catch (e) {
    if (e instanceof TlsConfigError)
      throw new JobQueueConfigError(e.field, e.message.slice(e.field.length + 2));
    throw e;
  }
}

/** Adds or replaces one profile (validated first); other profiles and comments-free content stay. */
export async function saveProfile(
  name: string,
  profile:
    JobQueueProfile | (Omit<JobQueueProfile, 'options'> & { options: Readonly<Record<string, unknown>> }),
  path: string = defaultProfilesPath(),
): Promise<void> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw new JobQueueConfigError('profile', `"${name}" is not a profile name (letters, digits, _ . -)`);
  const entry = { kind: profile.kind, ...profile.options, ...(profile.tls ? { tls: profile.tls } : {}) };
  toProfile(name, entry);
  await writeProfiles(path, (all) => ({ ...all, [name]: entry }));
}

/** Removes one profile; removing a missing profile is not an error. */
export async function deleteProfile(name: string, path: string = defaultProfilesPath()): Promise<void> {
  await writeProfiles(path, (all) => {
    const { [name]: _gone, ...rest } = all;
    return rest;
  });
}

async function writeProfiles(
  path: string,
  change: (all: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  let doc: Record<string, unknown> = {};
  try {
    doc = (parse(await readFile(path, 'utf8')) as Record<string, unknown> | null) ?? {};
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const profiles = change((doc.profiles as Record<string, unknown> | undefined) ?? {});
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, stringify({ ...doc, profiles }));
  await rename(tmp, path); // a crash mid-write must not lose every profile
}
