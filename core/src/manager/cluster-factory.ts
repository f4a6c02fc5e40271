import type { Cluster } from '../cluster/cluster.js';
import { LocalCluster } from '../cluster/local-cluster.js';
import { parseBytes } from '../jobqueue/units/memory.js';
import type { BatchKind } from '../jobqueue/options.js';
import { ManagerError } from './errors.js';
import type { ValidSpec } from './spec/validate-spec.js';

/** Whether this build can start clusters of a kind (batch kinds need JobQueueCluster). */
export function canStart(kind: ValidSpec['kind']): boolean {
  return kind === 'local';
}

/**
 * Starts the cluster a validated spec describes. The one place that maps a spec to a launcher:
 * a new launcher (JobQueueCluster for the batch kinds) is wired in here.
 *
 * @throws ManagerError 501 for batch kinds, which this build cannot start.
 */
export async function createCluster(spec: ValidSpec, name: string): Promise<Cluster> {
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
    });
    if (spec.adapt) cluster.adapt(spec.adapt);
    return cluster;
  }
  return startBatchCluster(spec.kind);
}

function startBatchCluster(kind: BatchKind): never {
  // JobQueueCluster.start(kind, { ...spec.options, name }) goes here once it is part of the build;
  // until then refusing is honest: previews, dry runs and exports work without it.
  throw new ManagerError(
    501,
    'not-available',
    `starting ${kind} clusters is not available in this build of Drover (JobQueueCluster is not part of it yet); ` +
      'preview, dry run and export of the job script work — submit the exported script yourself, or use a build with JobQueueCluster',
    'kind',
  );
}
