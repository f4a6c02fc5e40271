import type { FunctionDefinition, RemoteError } from '../protocol/messages.js';

/** What a task sees as `globalThis.droverTask` while it runs in a thread. */
export interface TaskContext {
  key: string;
  cores: number;
  /** GPU device ids assigned to this task (CUDA_VISIBLE_DEVICES entries, e.g. "2" or a UUID). */
  gpus: string[];
}

/** Main thread → pool thread: run one function task. */
export interface ThreadJob {
  id: number;
  fnId: number;
  /** Sent with the first job of a function on each thread. */
  definition: FunctionDefinition | null;
  args: Uint8Array;
  /** Inputs by key; null: the result of an earlier job on this thread, kept for this one. */
  deps: Array<[string, Uint8Array | null]> | null;
  context: TaskContext;
  /** How many later jobs on this thread take this job's result as an input (the thread keeps it for them). */
  keepFor: number;
}

/** Pool thread → main thread. Times are epoch ms with sub-ms precision. */
export type ThreadOutcome =
  | { id: number; ok: true; bytes: Uint8Array; start: number; stop: number }
  | { id: number; ok: false; error: Omit<RemoteError, 'key'>; start: number; stop: number };
