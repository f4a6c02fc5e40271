import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionDefinition } from '../protocol/messages.js';

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

/** The definition sent to workers for a function or a module reference. */
export function describeFunction(fn: unknown): FunctionDefinition {
  if (typeof fn === 'function') {
    const source = Function.prototype.toString.call(fn);
    if (/\{\s*\[native code\]\s*\}$/.test(source)) {
      throw new TypeError(
        `'${fn.name || 'function'}' is native or bound and has no source to ship; wrap it in a function or use moduleFunction()`,
      );
    }
    if (/^class[\s{]/.test(source)) throw new TypeError(`'${fn.name}' is a class; submit a function`);
    return { kind: 'inline', name: fn.name || 'lambda', source };
  }
  const ref = fn as Partial<ModuleFunction> | null;
  if (ref && typeof ref.module === 'string' && typeof ref.export === 'string') {
    return { kind: 'module', module: ref.module, export: ref.export };
  }
  throw new TypeError('submit expects a function or moduleFunction(path, exportName)');
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
