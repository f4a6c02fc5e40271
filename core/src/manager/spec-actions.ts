import { dryRunJob } from '../jobqueue/batch-client.js';
import { getBatchSystem } from '../jobqueue/backends/index.js';
import type { Installation } from '../installation.js';
import { renderResolvedJob } from '../jobqueue/render.js';
import { commandRunner } from '../jobqueue/run-command.js';
import type { DryRunModel, RenderResult, SpecDescription } from './api-types.js';
import { canStart } from './cluster-factory.js';
import { ManagerError } from './errors.js';
import { CLUSTER_KINDS, KIND_LABELS, specFields } from './spec/fields.js';
import { clusterSpecJsonSchema } from './spec/json-schema.js';
import type { CheckedSpec } from './spec/validate-spec.js';

/** A job script (or local-cluster code) ready to be saved as a file. */
export interface ExportedScript {
  /** A safe file name: letters, digits and `_ . -` only. */
  fileName: string;
  /** The media type to save or serve it with. */
  contentType: string;
  script: string;
}

/** Everything a form needs: the kinds this build can start, the fields, the JSON Schema. */
export function describeSpec(): SpecDescription {
  return {
    kinds: CLUSTER_KINDS.map((kind) => ({
      kind,
      label: KIND_LABELS[kind],
      available: canStart(kind),
      ...(canStart(kind)
        ? {}
        : { note: 'preview, dry run and export only: this build cannot start batch clusters' }),
    })),
    fields: specFields(),
    jsonSchema: clusterSpecJsonSchema(),
  };
}

/**
 * Asks the batch system whether it would accept the spec's job script (`sbatch --test-only`,
 * `qsub -w p`); a local spec passes once validated.
 *
 * @throws ManagerError `batch-command-failed` (502) when the batch command cannot run.
 */
export async function dryRunSpec(checked: CheckedSpec, installation?: Installation): Promise<DryRunModel> {
  if (checked.kind === 'local')
    return {
      accepted: true,
      message: 'a local cluster needs no batch system; the spec passed every check',
      command: null,
    };
  const { job } = checked;
  const rendered = renderResolvedJob(job, installation ? { installation } : {});
  try {
    return await dryRunJob(getBatchSystem(job.kind), job, rendered.script, commandRunner());
  } catch (e) {
    throw new ManagerError(
      502,
      'batch-command-failed',
      `the ${job.kind} dry run could not run: ${(e as Error).message}`,
    );
  }
}

/** A rendered preview as a file to save. */
export function exportPreview(preview: RenderResult): ExportedScript {
  return {
    fileName: preview.fileName.replace(/[^A-Za-z0-9_.-]/g, '_'),
    contentType:
      preview.language === 'bash' ? 'text/x-shellscript; charset=utf-8' : 'text/plain; charset=utf-8',
    script: preview.script,
  };
}
