import type { Cluster } from '../cluster/cluster.js';
import { LocalCluster } from '../cluster/local-cluster.js';
import { parseBytes } from '../jobqueue/units/memory.js';
import { JobQueueCluster } from '../jobqueue/job-queue-cluster.js';
import type { BatchKind, JobQueueOptions } from '../jobqueue/options.js';
import type { SchedulerOptions } from '../scheduler/scheduler.js';
import type { Adoption } from './adoption.js';
import type { ValidSpec } from './spec/validate-spec.js';

/** Whether this build can start clusters of a kind: every kind. */
export function canStart(_kind: ValidSpec['kind']): boolean {
  return true;
}

/**
 * Starts the cluster a validated spec describes. The one place that maps a spec to a launcher:
 * a new launcher (JobQueueCluster for the batch kinds) is wired in here.
 *
 * For batch kinds `scale` counts jobs and `adapt` bounds jobs.
 */
export async function createCluster(spec: ValidSpec, name: string, adoption?: Adoption): Promise<Cluster> {
  if (spec.kind === 'local') {
    const o = spec.options;
    const cluster = await LocalCluster.start({
      name,
      workers: spec.scale,
      threadsPerWorker: (o.threadsPerWorker as number | undefined) ?? 1,
      memoryLimit:
        o.memoryLimit === undefined
          ? null
          : parseBytes(o.memoryLimit as string | number, 'options.memoryLimit'),
      resources: (o.resources as Record<string, number> | undefined) ?? {},
      pools: (o.pools as string[] | undefined) ?? [],
      scheduler: schedulerSettings(spec),
    });
    if (spec.adapt) cluster.adapt(spec.adapt);
    return cluster;
  }
  return startBatchCluster(spec.kind, spec, name, adoption);
}

/** A batch cluster; with an adoption, on the dead manager's port and token, following its jobs. */
async function startBatchCluster(
  kind: BatchKind,
  spec: ValidSpec,
  name: string,
  adoption: Adoption | undefined,
): Promise<Cluster> {
  const cluster = await JobQueueCluster.start(kind, {
    ...(spec.options as unknown as JobQueueOptions),
    clusterName: name,
    jobs: spec.scale,
    scheduler: schedulerSettings(spec, adoption),
    ...(adoption
      ? { adoptJobs: adoption.jobs.map((job) => ({ jobId: job.jobId, submittedAt: job.submittedAt })) }
      : {}),
  });
  if (spec.adapt) cluster.adapt({ minimumJobs: spec.adapt.minimum, maximumJobs: spec.adapt.maximum });
  return cluster;
}

/**
 * The scheduler's settings: the spec's certificate files (the workers serve with the same files)
 * and, when taking over a dead manager's jobs, its port and token.
 */
function schedulerSettings(spec: ValidSpec, adoption?: Adoption): SchedulerOptions {
  return {
    ...(spec.tls ? { tls: spec.tls } : {}),
    ...(adoption ? { port: adoption.port, token: adoption.token } : {}),
  };
}
