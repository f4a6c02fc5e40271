// Lists the import cycles among core/src's modules: node scripts/import-cycles.mjs [--types]
// Without --types only imports that load code count (`import type` is erased); exits 1 on a cycle.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../core/src', import.meta.url)));
const withTypes = process.argv.includes('--types');
const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
const graph = new Map();
for (const file of files(root)) {
  const text = readFileSync(file, 'utf8');
  const edges = [];
  for (const m of text.matchAll(/^(import|export)(\s+type)?\s[^'"]*?from\s+'(\.[^']+)'/gms)) {
    const typeOnly = Boolean(m[2]) || /^import\s*\{\s*(type\s+\w+\s*,?\s*)+\}/.test(m[0]);
    if (typeOnly && !withTypes) continue;
    edges.push(resolve(dirname(file), m[3].replace(/\.js$/, '.ts')));
  }
  graph.set(file, edges);
}
const cycles = new Set();
const state = new Map();
const stack = [];
const visit = (node) => {
  state.set(node, 'open');
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (state.get(next) === 'open') {
      const cycle = stack.slice(stack.indexOf(next)).map((f) => relative(root, f));
      cycles.add(cycle.join(' -> '));
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(node, 'done');
};
for (const node of graph.keys()) if (!state.has(node)) visit(node);
for (const cycle of cycles) console.log(cycle);
console.log(cycles.size === 0 ? 'no import cycles' : `${cycles.size} import cycles`);
process.exit(cycles.size === 0 ? 0 : 1);
