import type { Installation } from '../installation.js';
import { renderResolvedJob } from '../jobqueue/render.js';
import { PREVIEW_CONNECTION } from '../jobqueue/worker-command.js';
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
  if (checked.kind === 'local') {
    return { script: localCode(checked.spec), fileName: 'drover-local.ts', language: 'typescript' };
  }
  const { job, spec: valid } = checked;
  try {
    const rendered = renderResolvedJob(job, {
      connection: { ...PREVIEW_CONNECTION, ...(valid.tls ? { tls: valid.tls } : {}) },
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
