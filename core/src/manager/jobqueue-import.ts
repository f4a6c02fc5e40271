import { JobQueueConfigError } from '../jobqueue/errors.js';
import { importDaskJobqueueConfig } from '../jobqueue/dask-import.js';
import type { ClusterSpec } from './api-types.js';
import { SpecError } from './spec/spec-error.js';

/** One cluster spec made from a `jobqueue.<kind>` section, with what the import changed or left out. */
export interface ImportedSpec {
  spec: ClusterSpec;
  warnings: readonly string[];
}

/**
 * The cluster specs a dask-jobqueue `jobqueue.yaml` describes, one per batch section, on the Dask
 * engine (its users run Dask): for the form to load, a profile to save, or `drover import-jobqueue`.
 *
 * @throws SpecError naming `jobqueue` when the text is not YAML or has no batch section.
 */
export function importJobqueueSpecs(yamlText: unknown): ImportedSpec[] {
  if (typeof yamlText !== 'string')
    throw new SpecError('yaml', 'send {"yaml": "<the text of jobqueue.yaml>"}');
  try {
    return importDaskJobqueueConfig(yamlText).map(({ kind, options, warnings }) => ({
      spec: { kind, engine: 'dask', scale: 0, options: { ...options } },
      warnings,
    }));
  } catch (error) {
    if (error instanceof JobQueueConfigError)
      throw new SpecError(error.field, error.message.slice(error.field.length + 2));
    throw error;
  }
}
