import { realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { builtinTemplateDirectory, userConfigDirectory } from '../../jobqueue/default-paths.js';
import { SpecError } from './spec-error.js';

/** Environment variable with extra template roots, separated like PATH (`drover serve --template-root`). */
export const TEMPLATE_ROOTS_VARIABLE = 'DROVER_TEMPLATE_ROOTS';

/**
 * The directories a spec's `templateDirectory` may be in: Drover's own templates,
 * `$XDG_CONFIG_HOME/drover/templates`, and those listed in `DROVER_TEMPLATE_ROOTS`.
 */
export function templateRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env[TEMPLATE_ROOTS_VARIABLE] ?? '').split(delimiter).filter((p) => p !== '');
  return [builtinTemplateDirectory(), join(userConfigDirectory(env), 'templates'), ...extra].map((p) =>
    realOrResolved(p),
  );
}

/**
 * Checks that a spec's template directory lies inside one of the {@link templateRoots}, after
 * symbolic links are followed, so a request cannot make the manager read files elsewhere.
 *
 * @throws SpecError on `options.templateDirectory` listing the allowed roots.
 */
export function confineTemplateDirectory(value: string, env: NodeJS.ProcessEnv = process.env): string {
  const roots = templateRoots(env);
  let real: string;
  try {
    real = realpathSync(resolve(value));
  } catch {
    throw new SpecError('options.templateDirectory', `${JSON.stringify(value)} is not an existing directory`);
  }
  const inside = roots.some((root) => {
    const rel = relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
  if (!inside)
    throw new SpecError(
      'options.templateDirectory',
      `${JSON.stringify(value)} is outside the template directories this manager reads (${roots.join(', ')}); put your templates in one of them, or start drover serve with --template-root DIR`,
    );
  return value;
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
