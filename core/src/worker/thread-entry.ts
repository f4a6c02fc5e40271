/**
 * The code each pool thread runs: compiles or imports task functions, decodes arguments with their
 * dependencies' values, calls the function and encodes the result.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { decodeValue, encodeValue } from '../protocol/codec.js';
import type { FunctionDefinition } from '../protocol/messages.js';
import { explainClosure, loadFunction, type TaskFunction } from './function-loader.js';
import type { ThreadJob, ThreadOutcome } from './thread-messages.js';
import { serializeError } from './serialize-error.js';

const port = parentPort!;
const functions = new Map<
  number,
  { fn: TaskFunction | null; definition: FunctionDefinition; loading: Promise<TaskFunction> }
>();
const origin = performance.timeOrigin;
/** Results kept for later jobs on this thread (chained dependents), with how many still want them. */
const kept = new Map<string, { bytes: Uint8Array; remaining: number }>();

// Bundlers that keep function names (esbuild's keepNames, used by vitest) insert calls to a `__name`
// helper inside function bodies; shipped source has no such helper, so one is provided here.
(globalThis as Record<string, unknown>).__name ??= (target: unknown) => target;

/** Outcomes are posted together at most this often while the queue is busy. */
const FLUSH_MS = 2;
let queue: ThreadJob[] = [];
let draining = false;

port.on('message', (jobs: ThreadJob[]) => {
  queue.push(...jobs);
  if (!draining) void drain();
});

/**
 * Moves jobs that arrived while a task ran into the queue now. A task that blocks its thread keeps
 * the 'message' event from firing, and waiting for the event loop to deliver them costs a turn.
 */
function takeArrivedJobs(): void {
  for (let arrived = receiveMessageOnPort(port); arrived; arrived = receiveMessageOnPort(port)) {
    queue.push(...(arrived.message as ThreadJob[]));
  }
}

/** Runs queued jobs one after another, posting outcomes in batches. */
async function drain(): Promise<void> {
  draining = true;
  let outcomes: ThreadOutcome[] = [];
  let lastFlush = performance.now();
  const flush = (): void => {
    const transfer = outcomes.flatMap((o) => (o.ok ? [o.bytes.buffer as ArrayBuffer] : []));
    port.postMessage(outcomes, transfer);
    outcomes = [];
    lastFlush = performance.now();
  };
  while (queue.length > 0) {
    const jobs = queue;
    queue = [];
    for (const job of jobs) {
      outcomes.push(await run(job));
      if (performance.now() - lastFlush > FLUSH_MS) flush();
      takeArrivedJobs();
    }
    // Let messages that arrived meanwhile join the queue before deciding it is empty.
    if (queue.length === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (outcomes.length > 0) flush();
  draining = false;
}

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
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as Promise<unknown>).then === 'function'
    ) {
      result = await result;
    }
    const { bytes } = encodeValue(result);
    // The bytes are transferred to the main thread; chained dependents here get their own copy.
    if (job.keepFor > 0) kept.set(job.context.key, { bytes: bytes.slice(), remaining: job.keepFor });
    return { id: job.id, ok: true, bytes, start, stop: origin + performance.now() };
  } catch (error) {
    const explained = explainClosure(error, entry.definition);
    return {
      id: job.id,
      ok: false,
      error: serializeError(explained),
      start,
      stop: origin + performance.now(),
    };
  }
}

/** A chained input is not here: the job computing it failed. The worker reports it as missing. */
class MissingInputError extends Error {
  override name = 'MissingInputError';
  constructor(readonly input: string) {
    super(`the input '${input}' was not computed on this thread`);
  }
}

/** The kept result of an earlier job on this thread, forgotten once its last taker has it. */
function takeKept(key: string): Uint8Array {
  const entry = kept.get(key);
  if (!entry) throw new MissingInputError(key);
  if (--entry.remaining === 0) kept.delete(key);
  return entry.bytes;
}

/**
 * Looks up dependency values by key. They are decoded up front: the msgpack decoder is not
 * re-entrant, so a value cannot be decoded while the arguments are being decoded.
 */
function resolver(deps: Array<[string, Uint8Array | null]>): (key: string) => unknown {
  const values = new Map<string, unknown>();
  for (const [key, bytes] of deps) values.set(key, decodeValue(bytes ?? takeKept(key)));
  return (key) => {
    if (!values.has(key)) throw new Error(`the value of '${key}' did not reach this worker`);
    return values.get(key);
  };
}
