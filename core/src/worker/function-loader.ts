import { Buffer } from 'node:buffer';
import { decodeValue } from '../protocol/codec.js';
import type { FunctionDefinition, InlineFunctionDefinition } from '../protocol/messages.js';

/** A function a task calls. */
export type TaskFunction = (...args: unknown[]) => unknown;

/**
 * Turns a function definition into a callable: compiles inline source or imports a module export.
 * Errors say which function and what to do.
 */
export async function loadFunction(definition: FunctionDefinition): Promise<TaskFunction> {
  if (definition.kind === 'inline') return compileInline(definition);
  if (definition.kind === 'module') return importExport(definition.module, definition.export);
  throw new Error('command tasks do not run in a thread');
}

function compileInline(definition: InlineFunctionDefinition): TaskFunction {
  const { name, source, captured } = definition;
  // Captured values become parameters of a function around the source, so the source sees them.
  const bound: Record<string, unknown> = captured
    ? (decodeValue(Buffer.from(captured.values, 'base64')) as Record<string, unknown>)
    : {};
  for (const [variable, fn] of Object.entries(captured?.functions ?? {})) bound[variable] = compileInline(fn);
  const names = Object.keys(bound);
  // `fn.toString()` of a method (`run(x) { … }`) is not an expression on its own; wrapped in an
  // object literal it is.
  const candidates = [`(${source}\n)`, `({${source}\n})[${JSON.stringify(name)}]`];
  let lastError: unknown;
  for (const candidate of candidates) {
    try {
      const fn: unknown =
        names.length === 0
          ? (0, eval)(candidate)
          : ((0, eval)(`((${names.join(', ')}) => ${candidate})`) as (...v: unknown[]) => unknown)(
              ...names.map((n) => bound[n]),
            );
      if (typeof fn === 'function') return fn as TaskFunction;
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(
    `cannot compile the inline function '${name}': ${(lastError as Error)?.message ?? 'not a function'}`,
  );
}

async function importExport(specifier: string, exportName: string): Promise<TaskFunction> {
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `cannot import module '${specifier}' on this worker: ${(error as Error).message}. ` +
        'The path must exist on the worker (a shared file system on clusters).',
    );
  }
  const fn = module[exportName];
  if (typeof fn !== 'function') {
    const exported = Object.keys(module).filter((k) => typeof module[k] === 'function');
    throw new Error(
      `module '${specifier}' has no exported function '${exportName}' (its exported functions: ${exported.join(', ') || 'none'})`,
    );
  }
  return fn as TaskFunction;
}

/**
 * Rewrites the ReferenceError an inline function raises when it uses a variable of the program that
 * submitted it, which does not exist on the worker.
 */
export function explainClosure(error: unknown, definition: FunctionDefinition): unknown {
  if (definition.kind !== 'inline' || !(error instanceof ReferenceError)) return error;
  const variable = /^(\S+) is not defined/.exec(error.message)?.[1];
  if (!variable) return error;
  const explained = new ReferenceError(
    `the inline function '${definition.name}' uses '${variable}', which is not defined on the worker: ` +
      `inline functions are shipped as source text, without the variables around them. ` +
      `Pass '${variable}' as an argument, or ship the function by module reference ({ module, export }).`,
  );
  explained.stack = `${explained.name}: ${explained.message}\n${error.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  return explained;
}
