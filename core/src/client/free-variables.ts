import findGlobals from 'acorn-globals';
import { WORKER_GLOBALS } from './worker-globals.js';

const cache = new Map<string, string[]>();
const CACHE_LIMIT = 1000;

/**
 * The names a function's source uses but neither declares nor finds among the worker's globals:
 * on a worker they would be undefined. Sorted; `this` is not counted (tasks are called without one).
 */
export function freeVariables(source: string): string[] {
  let names = cache.get(source);
  if (!names) {
    names = findGlobals(parse(source))
      .map((g) => g.name)
      .filter((name) => name !== 'this' && !WORKER_GLOBALS.has(name));
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(source, names);
  }
  return names;
}

/**
 * The source parsed as a program: an expression in parentheses, or a method (`run(x) { … }`,
 * what `toString()` gives for one) inside an object literal — the same two forms the worker compiles.
 */
function parse(source: string): object {
  const candidates = [`(${source}\n);`, `({${source}\n});`];
  for (const candidate of candidates) {
    try {
      return findGlobals.parse(candidate);
    } catch {
      // try the next form
    }
  }
  throw new TypeError(
    `cannot read the function's source to ship it (${source.slice(0, 60)}…); ship it with moduleFunction(path, name)`,
  );
}
