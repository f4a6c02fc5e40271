import type { ClusterModel } from '@drover/core/ui';

/** Languages client code exists for. */
export type CodeLanguage = 'python' | 'typescript' | 'javascript';

/** The manager's connection snippets when it provides them (engine-aware managers do). */
interface ConnectCode {
  python: string | null;
  typescript: string | null;
}

/**
 * Code that connects a client to `cluster` by its name, for a language. It holds no token, no
 * address and no key: the kernel or script finds the manager through its private runtime file
 * (`drover.connect` in Python, `connect` of `@drover/core/notebook` in TypeScript).
 * Throws with what to do when the cluster's engine has no client in that language.
 */
export function clientCodeFor(cluster: ClusterModel, language: CodeLanguage): string {
  const model = cluster as ClusterModel & { connectCode?: ConnectCode; engine?: 'drover' | 'dask' };
  const engine = model.engine ?? 'drover';
  const name = JSON.stringify(cluster.name);
  if (language === 'python') {
    const code =
      model.connectCode?.python ??
      (engine === 'dask' ? `import drover\nclient = drover.connect(${name})\n` : null);
    if (code === null)
      throw new Error(
        `${cluster.name} runs the Drover engine, whose client is TypeScript; for Python, start a cluster with engine "dask"`,
      );
    return code;
  }
  const code =
    model.connectCode?.typescript ??
    (engine === 'drover'
      ? `import { connect } from '@drover/core/notebook';\n\nconst client = await connect(${name});\n`
      : null);
  if (code === null)
    throw new Error(
      `${cluster.name} runs the Dask engine, whose client is Python; insert the code into a Python notebook or file`,
    );
  return code;
}

/** The client language of an editor or notebook cell language id, or null when there is none. */
export function languageOf(languageId: string): CodeLanguage | null {
  if (languageId === 'python') return 'python';
  if (languageId === 'typescript' || languageId === 'typescriptreact') return 'typescript';
  if (languageId === 'javascript' || languageId === 'javascriptreact') return 'javascript';
  return null;
}
