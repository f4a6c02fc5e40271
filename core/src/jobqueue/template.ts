import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinTemplateDirectory } from './default-paths.js';
import { JobQueueConfigError } from './errors.js';
import type { BatchKind } from './options.js';

/** The placeholders a job-script template may use (see templates/jobscripts/README.md). */
export const TEMPLATE_PLACEHOLDERS = [
  'shebang',
  'kind',
  'jobName',
  'processes',
  'directives',
  'environment',
  'prologue',
  'workerCommand',
  'epilogue',
] as const;

/** A value for each placeholder. */
export type TemplateValues = Record<(typeof TEMPLATE_PLACEHOLDERS)[number], string>;

/**
 * The template text for `kind`: `<templateDirectory>/<kind>.sh` when that file exists, else
 * Drover's own (in `builtinDirectory`, default the default installation's). Returns the text and
 * where it came from (for error messages).
 */
export function loadTemplate(
  kind: BatchKind,
  templateDirectory?: string,
  builtinDirectory: string = builtinTemplateDirectory(),
): { text: string; source: string } {
  const own = templateDirectory === undefined ? undefined : join(templateDirectory, `${kind}.sh`);
  const source = own !== undefined && existsSync(own) ? own : join(builtinDirectory, `${kind}.sh`);
  try {
    return { text: readFileSync(source, 'utf8'), source };
  } catch (e) {
    throw new JobQueueConfigError(
      'templateDirectory',
      `cannot read the template ${source}: ${(e as Error).message}`,
    );
  }
}

/**
 * Replaces each `{{name}}`; a line holding only a placeholder whose value is empty is dropped.
 *
 * @throws JobQueueConfigError naming an unknown placeholder and the template file.
 */
export function fillTemplate(template: string, values: TemplateValues, source: string): string {
  const known = values as Record<string, string>;
  const out: string[] = [];
  for (const line of template.split('\n')) {
    const only = /^\s*\{\{\s*(\w+)\s*\}\}\s*$/.exec(line);
    if (only && known[only[1]!] === '') continue;
    out.push(
      line.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => {
        const value = known[name];
        if (value === undefined) {
          throw new JobQueueConfigError(
            'templateDirectory',
            `${source} uses {{${name}}}, which is not a placeholder; use one of ${TEMPLATE_PLACEHOLDERS.join(', ')}`,
          );
        }
        return value;
      }),
    );
  }
  return out.join('\n');
}
