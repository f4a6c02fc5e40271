import { Buffer } from 'node:buffer';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeValue } from '../protocol/codec.js';
import type { FunctionDefinition, InlineFunctionDefinition } from '../protocol/messages.js';
import { capturedOf } from './capture.js';
import { freeVariables } from './free-variables.js';

export { capture } from './capture.js';

/**
 * A function shipped by module reference: the worker imports `module` and calls `export`.
 * The type parameter carries the function's signature for `submit`.
 */
export interface ModuleFunction<F extends (...args: never[]) => unknown = (...args: never[]) => unknown> {
  readonly module: string;
  readonly export: string;
  /** Phantom field for typing only. */
  readonly __signature?: F;
}

/**
 * Refers to `exportName` of the module at `path` (relative paths resolve against the current
 * directory). Throws at once when a file path does not exist here, since workers see the same files
 * on a shared file system.
 */
export function moduleFunction<F extends (...args: never[]) => unknown>(
  path: string,
  exportName = 'default',
): ModuleFunction<F> {
  return { module: resolveModule(path), export: exportName };
}

function resolveModule(path: string): string {
  if (path.startsWith('file:') || path.startsWith('node:')) return path;
  if (path.startsWith('.') || isAbsolute(path)) {
    const absolute = resolve(path);
    if (!existsSync(absolute)) {
      throw new Error(
        `module '${path}' not found (looked at ${absolute}); give a path that exists, relative to ${process.cwd()}`,
      );
    }
    return pathToFileURL(absolute).href;
  }
  // A package name: resolved on the worker like any import.
  return path;
}

/**
 * The definition sent to workers for a function or a module reference. An inline function that uses
 * variables from around it is refused here, naming them, unless it was given their values with
 * `capture`.
 */
export function describeFunction(fn: unknown): FunctionDefinition {
  if (typeof fn === 'function') return describeInline(fn as (...args: never[]) => unknown, [], new Set());
  const ref = fn as Partial<ModuleFunction> | null;
  if (ref && typeof ref.module === 'string' && typeof ref.export === 'string') {
    return { kind: 'module', module: ref.module, export: ref.export };
  }
  throw new TypeError('submit expects a function or moduleFunction(path, exportName)');
}

function describeInline(
  given: (...args: never[]) => unknown,
  path: string[],
  seen: ReadonlySet<object>,
): InlineFunctionDefinition {
  const captured = capturedOf(given);
  const fn = captured?.fn ?? given;
  const values = captured?.values ?? {};
  const name = fn.name || 'lambda';
  const source = Function.prototype.toString.call(fn);
  // An arrow has no name: show the start of its source instead.
  const label = fn.name || source.replace(/\s+/g, ' ').slice(0, 40) + (source.length > 40 ? '…' : '');
  const where = [...path, label].join(' → ');
  if (/\{\s*\[native code\]\s*\}$/.test(source)) {
    throw new TypeError(
      `'${where}' is native or bound and has no source to ship; wrap it in a function or use moduleFunction()`,
    );
  }
  if (/^class[\s{]/.test(source)) throw new TypeError(`'${where}' is a class; submit a function`);
  const free = freeVariables(source);
  const missing = free.filter((v) => !(v in values));
  if (missing.length > 0) throw new TypeError(closureMessage(where, missing, Object.keys(values)));
  const unused = Object.keys(values).filter((v) => !free.includes(v));
  if (unused.length > 0)
    throw new TypeError(
      `capture: '${where}' does not use ${unused.map((v) => `'${v}'`).join(', ')}; capture only the variables it uses`,
    );
  if (free.length === 0) return { kind: 'inline', name, source };
  if (seen.has(fn))
    throw new TypeError(`capture: '${where}' captures itself in a cycle; pass one of them as an argument`);
  const plain: Record<string, unknown> = {};
  const functions: Record<string, InlineFunctionDefinition> = {};
  for (const variable of free) {
    const value = values[variable];
    if (typeof value === 'function')
      functions[variable] = describeInline(value as never, [...path, label], new Set([...seen, fn]));
    else plain[variable] = value;
  }
  let encoded: { bytes: Uint8Array; references: string[] };
  try {
    encoded = encodeValue(plain);
  } catch (error) {
    throw new TypeError(
      `capture: a value captured by '${where}' cannot be sent: ${(error as Error).message}`,
    );
  }
  if (encoded.references.length > 0)
    throw new TypeError(
      `capture: '${where}' captures a future; pass futures as arguments of the task instead`,
    );
  const bytes = encoded.bytes;
  return {
    kind: 'inline',
    name,
    source,
    captured: { values: Buffer.from(bytes).toString('base64'), functions },
  };
}

function closureMessage(where: string, missing: string[], given: string[]): string {
  const list = missing.map((v) => `'${v}'`).join(', ');
  const all = [...given, ...missing].join(', ');
  return (
    `the function '${where}' uses ${list} from around it, which ${missing.length === 1 ? 'does' : 'do'} not exist on ` +
    `the worker: functions are shipped as source text, without the variables they close over. ` +
    `Send the values with the function: capture({ ${all} }, fn) — e.g. client.map(capture({ ${all} }, (x) => …), items) — ` +
    `or pass them as arguments, or ship the function with moduleFunction(path, name). ` +
    `(A global of the worker that Drover does not know can be written globalThis.${missing[0]}.)`
  );
}

/** The group name for tasks of a function: its name, made safe for keys. */
export function functionName(definition: FunctionDefinition): string {
  const raw =
    definition.kind === 'inline'
      ? definition.name
      : definition.kind === 'module'
        ? definition.export
        : 'command';
  return raw.replace(/[^\w.]/g, '_') || 'lambda';
}
