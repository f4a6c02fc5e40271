import type { Installation } from '../installation.js';
import { renderResolvedJob } from '../jobqueue/render.js';
import {
  DASK_PREVIEW_CONNECTION,
  PREVIEW_CONNECTION,
  type SchedulerConnection,
} from '../jobqueue/worker-command.js';
import { JobQueueConfigError } from '../jobqueue/errors.js';
import type { RenderResult } from './api-types.js';
import { SpecError } from './spec/spec-error.js';
import { checkClusterSpec, type CheckedSpec, type ValidSpec } from './spec/validate-spec.js';

/**
 * The preview of a spec: for a batch kind the job script exactly as it will be submitted (with a
 * placeholder scheduler address, as dask-jobqueue's `job_script()`), for a local cluster the
 * TypeScript that starts the same cluster.
 */
export function renderPreview(spec: ValidSpec | CheckedSpec, installation?: Installation): RenderResult {
  const checked = 'spec' in spec ? spec : checkClusterSpec(spec, installation);
  if (checked.kind === 'local' && checked.spec.engine === 'dask')
    return { script: localDaskCode(checked.spec), fileName: 'drover-local-dask.py', language: 'python' };
  if (checked.kind === 'local') {
    return { script: localCode(checked.spec), fileName: 'drover-local.ts', language: 'typescript' };
  }
  const { job, spec: valid } = checked;
  try {
    const connection: SchedulerConnection =
      valid.engine === 'dask'
        ? {
            dask: {
              ...DASK_PREVIEW_CONNECTION.dask,
              ...(typeof valid.options.python === 'string' ? { python: valid.options.python } : {}),
            },
          }
        : { ...PREVIEW_CONNECTION, ...(valid.tls ? { tls: valid.tls } : {}) };
    const rendered = renderResolvedJob(job, {
      connection,
      ...(installation ? { installation } : {}),
    });
    return {
      script: rendered.script,
      fileName: `drover-${job.kind}-${job.name}.sh`,
      language: 'bash',
    };
  } catch (e) {
    // Template problems (a user's own template directory) surface as field errors too.
    if (e instanceof JobQueueConfigError)
      throw new SpecError(`options.${e.field}`, e.message.slice(e.field.length + 2));
    throw e;
  }
}

/** Python that starts the local Dask-engine cluster a spec describes, through the manager. */
function localDaskCode(spec: ValidSpec): string {
  const o = spec.options;
  const py = (value: unknown): string =>
    JSON.stringify(value)
      .replace(/\btrue\b/g, 'True')
      .replace(/\bfalse\b/g, 'False');
  const args: string[] = [`n_workers=${spec.scale}`];
  if (o.threadsPerWorker !== undefined) args.push(`threads_per_worker=${String(o.threadsPerWorker)}`);
  if (o.memoryLimit !== undefined) args.push(`memory_limit=${py(o.memoryLimit)}`);
  if (o.resources !== undefined) args.push(`resources=${py(o.resources)}`);
  if (o.python !== undefined) args.push(`python=${py(o.python)}`);
  if (spec.name !== undefined) args.push(`name=${py(spec.name)}`);
  const lines = [
    'from dask.distributed import Client',
    'import drover',
    '',
    `cluster = drover.LocalCluster(${args.join(', ')})`,
  ];
  if (spec.adapt) lines.push(`cluster.adapt(minimum=${spec.adapt.minimum}, maximum=${spec.adapt.maximum})`);
  lines.push('client = Client(cluster)', '');
  return lines.join('\n');
}

/** TypeScript that starts the local cluster a spec describes. */
function localCode(spec: ValidSpec): string {
  const o = spec.options;
  const args: string[] = [`workers: ${spec.scale}`];
  if (o.threadsPerWorker !== undefined) args.push(`threadsPerWorker: ${String(o.threadsPerWorker)}`);
  if (o.memoryLimit !== undefined) args.push(`memoryLimit: ${JSON.stringify(o.memoryLimit)}`);
  if (o.resources !== undefined) args.push(`resources: ${JSON.stringify(o.resources)}`);
  if (Array.isArray(o.pools) && o.pools.length > 0) args.push(`pools: ${JSON.stringify(o.pools)}`);
  if (spec.name !== undefined) args.push(`name: ${JSON.stringify(spec.name)}`);
  if (spec.tls) args.push(`scheduler: { tls: ${JSON.stringify(spec.tls)} }`);
  const lines = [
    "import { Client, LocalCluster } from '@drover/core';",
    '',
    `const cluster = await LocalCluster.start({ ${args.join(', ')} });`,
  ];
  if (spec.adapt)
    lines.push(`cluster.adapt({ minimum: ${spec.adapt.minimum}, maximum: ${spec.adapt.maximum} });`);
  lines.push('const client = await Client.connect(cluster);', '');
  return lines.join('\n');
}
