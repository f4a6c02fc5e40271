import { JobQueueConfigError } from './errors.js';
import type { JobQueueClusterOptions } from './job-queue-cluster-options.js';
import { JobQueueCluster } from './job-queue-cluster.js';
import type { BatchKind } from './options.js';
import { defaultProfilesPath, loadProfiles } from './profiles.js';

/** Where a profile is read from, and which kind the caller expects. */
export interface FromProfileOptions {
  /** Default `defaultProfilesPath()` (the manager's saved profiles live there too). */
  readonly path?: string;
  /** `SlurmCluster.fromProfile` expects a SLURM profile; a profile of another kind is refused. */
  readonly kind?: BatchKind;
}

/**
 * Starts the job-queue cluster a saved profile describes (`profiles.yaml`, as the dashboard saves
 * them), with `overrides` on top (e.g. `{ jobs: 2 }` or another `walltime`). The cluster is named
 * after the profile unless `clusterName` is given.
 *
 * @throws JobQueueConfigError naming `profile` when there is no such profile or it is of another
 * kind, or the option at fault.
 */
export async function startFromProfile(
  name: string,
  overrides: Partial<JobQueueClusterOptions> = {},
  options: FromProfileOptions = {},
): Promise<JobQueueCluster> {
  const path = options.path ?? defaultProfilesPath();
  const profiles = await loadProfiles(path);
  const profile = profiles.get(name);
  if (!profile) {
    const known = [...profiles.keys()];
    throw new JobQueueConfigError(
      'profile',
      `"${name}" is not a saved profile in ${path}` +
        (known.length > 0 ? `; saved: ${known.join(', ')}` : ' (it has none; save one from the dashboard)'),
    );
  }
  if (options.kind !== undefined && profile.kind !== options.kind) {
    throw new JobQueueConfigError(
      'profile',
      `"${name}" is a ${profile.kind} profile, not ${options.kind}; start it with JobQueueCluster.fromProfile or the ${profile.kind} cluster`,
    );
  }
  return JobQueueCluster.start(profile.kind, {
    clusterName: name,
    ...profile.options,
    ...(profile.tls && overrides.scheduler === undefined ? { scheduler: { tls: profile.tls } } : {}),
    ...overrides,
  });
}
