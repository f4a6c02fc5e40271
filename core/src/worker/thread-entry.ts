/**
 * The code each pool thread runs: compiles or imports task functions, decodes arguments with their
 * dependencies' values, calls the function and encodes the result.
 */
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { decodeValue, encodeValue } from '../protocol/codec.js';
import type { FunctionDefinition } from '../protocol/messages.js';
import { explainClosure, loadFunction, type TaskFunction } from './function-loader.js';
import type { ThreadJob, ThreadOutcome } from './thread-messages.js';
import { serializeError } from './serialize-error.js';

const port = parentPort!;
const functions = new Map<number, { fn: TaskFunction | null; definition: FunctionDefinition; loading: Promise<TaskFunction> }>();
const origin = performance.timeOrigin;

// Bundlers that keep function names (esbuild's keepNames, used by vitest) insert calls to a `__name`
// helper inside function bodies; shipped source has no such helper, so one is provided here.
(globalThis as Record<string, unknown>).__name ??= (target: unknown) => target;

port.on('message', (job: ThreadJob) => {
  void run(job).then((outcome) => {
    if (outcome.ok) port.postMessage(outcome, [outcome.bytes.buffer as ArrayBuffer]);
    else port.postMessage(outcome);
  });
});

async function run(job: ThreadJob): Promise<ThreadOutcome> {
  const start = origin + performance.now();
  let entry = functions.get(job.fnId);
  if (!entry) {
    const loading = loadFunction(job.definition!);
    entry = { fn: null, definition: job.definition!, loading };
    functions.set(job.fnId, entry);
    loading.then((fn) => (entry!.fn = fn)).catch(() => functions.delete(job.fnId));
  }
  try {
    const fn = entry.fn ?? (await entry.loading);
    const args = decodeValue(job.args, job.deps ? resolver(job.deps) : undefined) as unknown[];
    (globalThis as Record<string, unknown>).droverTask = job.context;
    let result = fn(...args);
    if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
      result = await result;
    }
    const { bytes } = encodeValue(result);
    return { id: job.id, ok: true, bytes, start, stop: origin + performance.now() };
  } catch (error) {
    const explained = explainClosure(error, entry.definition);
    return { id: job.id, ok: false, error: serializeError(explained), start, stop: origin + performance.now() };
  }
}

/** Looks up dependency values by key, decoding each at most once. */
function resolver(deps: Array<[string, Uint8Array]>): (key: string) => unknown {
  const decoded = new Map<string, unknown>();
  return (key) => {
    if (decoded.has(key)) return decoded.get(key);
    const bytes = deps.find(([k]) => k === key)?.[1];
    if (!bytes) throw new Error(`the value of '${key}' did not reach this worker`);
    const value = decodeValue(bytes);
    decoded.set(key, value);
    return value;
  };
}
