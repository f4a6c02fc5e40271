import type { Cluster } from '../cluster/cluster.js';
import { jobsForScale } from '../jobqueue/scale.js';
import { LocalCluster } from '../cluster/local-cluster.js';
import { DaskJobQueueCluster } from '../dask/dask-job-queue-cluster.js';
import { LocalDaskCluster } from '../dask/local-dask-cluster.js';
import type { SharedDaskScheduler } from '../dask/shared-scheduler.js';
import type { Installation } from '../installation.js';
import { JobQueueCluster } from '../jobqueue/job-queue-cluster.js';
import type { SchedulerOptions } from '../scheduler/scheduler.js';
import type { Adoption } from './adoption.js';
import type { CheckedSpec, ValidSpec } from './spec/validate-spec.js';

/** Whether this build can start clusters of a kind: every kind. */
export function canStart(_kind: ValidSpec['kind']): boolean {
  return true;
}

/**
 * Starts the cluster a checked spec describes, from the settings or job its check resolved. The one
 * place that maps a spec to a launcher: a new launcher is wired in here.
 *
 * `scale` and `adapt` count workers for every kind, as `scale(n)` and `adapt({ minimum, maximum })`
 * do in code: a batch job of `processes` workers counts as that many (rounded up to whole jobs).
 */
export async function createCluster(
  checked: CheckedSpec,
  name: string,
  installation: Installation,
  adoption?: Adoption,
  shared?: SharedDaskScheduler,
): Promise<Cluster> {
  const { spec } = checked;
  if (checked.kind === 'local' && spec.engine === 'dask') {
    const { threadsPerWorker, memoryLimit, resources } = checked.local;
    const python = spec.options.python as string | undefined;
    const cluster = await LocalDaskCluster.start({
      name,
      workers: spec.scale,
      threadsPerWorker,
      memoryLimit,
      resources,
      ...(python ? { python } : {}),
      ...(shared ? { shared } : {}),
    });
    if (spec.adapt) cluster.adapt(spec.adapt);
    return cluster;
  }
  if (checked.kind === 'local') {
    const cluster = await LocalCluster.start({
      name,
      workers: spec.scale,
      ...checked.local,
      scheduler: schedulerSettings(spec),
      installation,
    });
    if (spec.adapt) cluster.adapt(spec.adapt);
    return cluster;
  }
  if (spec.engine === 'dask') {
    const python = spec.options.python as string | undefined;
    const cluster = await DaskJobQueueCluster.start(checked.job, {
      clusterName: name,
      jobs: jobsForScale(spec.scale, checked.job),
      installation,
      ...(python ? { python } : {}),
      ...(shared ? { shared } : {}),
    });
    if (spec.adapt) cluster.adapt(spec.adapt);
    return cluster;
  }
  const cluster = await JobQueueCluster.startJob(checked.job, {
    clusterName: name,
    jobs: jobsForScale(spec.scale, checked.job),
    scheduler: schedulerSettings(spec, adoption),
    installation,
    ...(adoption
      ? { adoptJobs: adoption.jobs.map((job) => ({ jobId: job.jobId, submittedAt: job.submittedAt })) }
      : {}),
  });
  if (spec.adapt) cluster.adapt(spec.adapt);
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
