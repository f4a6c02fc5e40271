// Bundles the dashboard page (core/src/ui/dashboard/main.ts and its imports, d3 included) with
// esbuild into core/dist/ui/, next to its HTML and CSS, where `drover serve` finds them.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const core = fileURLToPath(new URL('..', import.meta.url));
const out = `${core}dist/ui/`;
await mkdir(out, { recursive: true });
await build({
  entryPoints: [`${core}src/ui/dashboard/main.ts`],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: false,
  outfile: `${out}dashboard.js`,
  logLevel: 'warning',
});
await copyFile(`${core}src/ui/dashboard/index.html`, `${out}index.html`);
await copyFile(`${core}src/ui/styles/dashboard.css`, `${out}dashboard.css`);
