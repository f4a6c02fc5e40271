// Builds the extension: the extension-host bundle, the manager keeper, the webview bundles and
// styles in media/ (the one folder webviews load from), the tests, and the settings that come
// from the ClusterSpec JSON Schema. Needs core built first (npm run build at the root does both).
import { build } from 'esbuild';
import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
// ws's native speed-ups are optional at run time.
const external = ['vscode', 'bufferutil', 'utf-8-validate'];

await rm(`${root}out`, { recursive: true, force: true });
await syncSettings();
await Promise.all([
  build({
    ...node,
    entryPoints: [`${root}src/extension.ts`],
    format: 'cjs',
    external,
    outfile: `${root}dist/extension.js`,
    // When the bundle starts loading, for the activation time the extension logs.
    banner: { js: 'globalThis.__droverLoadStart = performance.now();' },
  }),
  build({
    ...node,
    entryPoints: [`${root}src/manager/keeper-main.ts`],
    format: 'esm',
    outfile: `${root}dist/keeper.mjs`,
  }),
  ...['new-cluster', 'task-stream'].map((name) =>
    build({
      entryPoints: [`${root}webview-src/${name}.ts`],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['chrome110'],
      minify: true,
      logLevel: 'warning',
      outfile: `${root}media/${name}.js`,
    }),
  ),
  build({
    ...node,
    entryPoints: (await readdir(`${root}test/suite`))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${root}test/suite/${f}`),
    format: 'cjs',
    external: [...external, 'mocha'],
    outdir: `${root}out/test/suite`,
  }),
]);
await copyFile(`${root}../core/dist/ui/dashboard.css`, `${root}media/dashboard.css`);

/**
 * Writes the `drover.*` settings into package.json: `newClusterDefaults` is the ClusterSpec JSON
 * Schema itself, so VS Code validates and completes it exactly as the manager will check it.
 */
async function syncSettings() {
  const { clusterSpecJsonSchema } = await import('../../core/dist/manager/index.js');
  const { $schema: _schema, $id: _id, title: _title, ...schema } = clusterSpecJsonSchema();
  const pkgPath = `${root}package.json`;
  const text = await readFile(pkgPath, 'utf8');
  const pkg = JSON.parse(text);
  pkg.contributes.configuration = {
    title: 'Drover',
    properties: {
      'drover.newClusterDefaults': {
        ...schema,
        markdownDescription:
          'The cluster spec new clusters start from (the New Cluster form and "Start Cluster from Profile…"): the same fields as the form, checked against the ClusterSpec schema.',
        default: { kind: 'local', scale: 2 },
        order: 1,
      },
      'drover.profilesPath': {
        type: 'string',
        default: '',
        markdownDescription:
          'Saved profiles file (`drover serve --profiles`); empty for `$XDG_CONFIG_HOME/drover/profiles.yaml`.',
        order: 2,
      },
      'drover.autoOpenTaskStream': {
        type: 'boolean',
        default: true,
        description: 'Open the task stream of a cluster once it starts.',
        order: 3,
      },
      'drover.command': {
        type: 'string',
        default: '',
        markdownDescription:
          'The `drover` command (a path to the executable or to `drover.mjs`); empty uses `drover` on the PATH.',
        scope: 'machine',
        order: 4,
      },
      'drover.keepAliveSeconds': {
        type: 'integer',
        default: 30,
        minimum: 1,
        description:
          'Seconds the manager and its clusters outlive the last VS Code window, so a window reload finds them again. After that they are stopped.',
        order: 5,
      },
    },
  };
  const next = JSON.stringify(pkg, null, 2) + '\n';
  if (next !== text) await writeFile(pkgPath, next);
}
