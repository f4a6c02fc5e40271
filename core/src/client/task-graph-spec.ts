import type { ModuleFunction } from './function-ref.js';
import type { Future } from './future.js';

/** A reference to another task of the same graph, by its name: `ref('load')`. */
export class GraphRef {
  constructor(readonly name: string) {}
}

/** In a graph given to `compute`, stands for the result of the task named `name`. */
export function ref(name: string): GraphRef {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('ref: give the name of a task of the graph');
  return new GraphRef(name);
}

type AnyFunction = (...args: never[]) => unknown;

/** One task of a graph: the function, then its arguments (which may hold `ref(name)` anywhere). */
export type GraphTask = readonly [AnyFunction | ModuleFunction, ...unknown[]];

/** What `compute` returns: a future per task, typed by the task's function. */
export type GraphFutures<G extends Record<string, GraphTask>> = {
  [K in keyof G]: G[K][0] extends (...args: never[]) => infer R
    ? Future<Awaited<R>>
    : G[K][0] extends ModuleFunction<infer F>
      ? Future<Awaited<ReturnType<F>>>
      : Future<unknown>;
};

/**
 * The names of `graph` in an order where every task comes after the tasks it refers to.
 * Throws, naming the task, on a malformed entry, a reference to a missing task, or a cycle.
 */
export function orderGraph(graph: Record<string, GraphTask>): string[] {
  const names = Object.keys(graph);
  const refs = new Map<string, string[]>();
  for (const name of names) {
    const task: unknown = graph[name];
    if (!Array.isArray(task) || task.length === 0 || !isShippable(task[0])) {
      throw new TypeError(`graph['${name}']: expected [function, ...arguments], got ${describe(task)}`);
    }
    const found: string[] = [];
    collectRefs(task.slice(1), found);
    for (const target of found) {
      if (!(target in graph)) {
        throw new TypeError(
          `graph['${name}']: ref('${target}') names no task of the graph (it has: ${names.join(', ')})`,
        );
      }
    }
    refs.set(name, found);
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name].map((n) => `'${n}'`).join(' → ');
      throw new TypeError(`graph: ${cycle} is a cycle; a task cannot depend on itself`);
    }
    state.set(name, 'visiting');
    for (const target of refs.get(name)!) visit(target, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name, []);
  return order;
}

/** `value` with every `ref(name)` in it (in arrays and plain objects) replaced by `futures[name]`. */
export function substituteRefs(value: unknown, futures: Record<string, Future>): unknown {
  if (value instanceof GraphRef) return futures[value.name];
  if (Array.isArray(value)) return value.map((item) => substituteRefs(item, futures));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteRefs(item, futures);
    return out;
  }
  return value;
}

function collectRefs(value: unknown, into: string[]): void {
  if (value instanceof GraphRef) into.push(value.name);
  else if (Array.isArray(value)) for (const item of value) collectRefs(item, into);
  else if (isPlainObject(value)) for (const item of Object.values(value)) collectRefs(item, into);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isShippable(fn: unknown): boolean {
  if (typeof fn === 'function') return true;
  const ref = fn as Partial<ModuleFunction> | null;
  return typeof ref?.module === 'string' && typeof ref.export === 'string';
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array starting with ${typeof value[0]}`;
  return value === null ? 'null' : typeof value;
}
