// Bundles the drover command (worker, doctor, …) into one file, core/dist/bundle/drover-worker.mjs,
// with every dependency inside: a batch job runs it with only `node` on the compute node (see the
// workerBundle option). Native add-ons the dependencies try to load (msgpackr-extract, bufferutil)
// stay out: they are optional and the code falls back without them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const core = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${core}dist/bundle/drover-worker.mjs`;
await build({
  entryPoints: [`${core}dist/cli/bundle-entry.js`],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile,
  external: ['msgpackr-extract', 'bufferutil', 'utf-8-validate'],
  // CommonJS dependencies (ws, msgpackr) call require() for Node's modules; ESM output has none.
  banner: {
    js: "import { createRequire as __droverRequire } from 'node:module';\nconst require = __droverRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
const sha = createHash('sha256')
  .update(await readFile(outfile))
  .digest('hex');
await writeFile(`${outfile}.sha256`, `${sha}  drover-worker.mjs\n`);
