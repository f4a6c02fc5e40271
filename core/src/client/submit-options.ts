import { normalizeResources } from '../scheduler/requirements.js';
import { parseBytes } from '../units/memory.js';
import type { TaskOptionsWire } from '../protocol/messages.js';

/** Per-task options of `submit`, `map` and `command` (see `client.with(options)`). */
export interface SubmitOptions {
  /**
   * What one task needs: `cores` (default 1), `gpus`, `memory` (bytes or '4GB'), or any custom
   * resource workers declare (`{ licenses: 1 }`). The task waits for a worker that has it free.
   */
  resources?: Record<string, number | string>;
  /** Only workers of this named pool (e.g. `training`) run the task. */
  pool?: string;
  /** How many times to run the task again after it raises. Default 0. */
  retries?: number;
  /**
   * Milliseconds a task may run (from its start on a worker) before it is stopped and raises
   * TaskTimeoutError, which counts as a failure for `retries`. Default: no limit. Command specs have
   * their own `timeoutMs` too.
   */
  timeoutMs?: number;
  /** Higher runs first; ties run in submission order. Default 0. */
  priority?: number;
  /** The key of the task (one submission only); default derived from the function and arguments. */
  key?: string;
  /**
   * True (default): the same function with the same arguments gets the same key, so repeated work
   * is reused. False: every submission runs.
   */
  pure?: boolean;
}

/** Checks options at submit time; errors name the option and the fix. */
export function toWireOptions(options: SubmitOptions): TaskOptionsWire {
  let resources: Record<string, number> | null = null;
  if (options.resources !== undefined) {
    const raw: Record<string, unknown> = {};
    for (const [name, amount] of Object.entries(options.resources)) {
      raw[name] =
        name === 'memory' && typeof amount === 'string' ? parseBytes(amount, 'resources.memory') : amount;
    }
    try {
      resources = normalizeResources(raw);
    } catch (error) {
      throw new TypeError(`resources: ${(error as Error).message}`);
    }
  }
  if (options.pool !== undefined && (typeof options.pool !== 'string' || options.pool === '')) {
    throw new TypeError(
      `pool: must be a non-empty name such as 'training', got ${JSON.stringify(options.pool)}`,
    );
  }
  const retries = options.retries ?? 0;
  if (!Number.isInteger(retries) || retries < 0)
    throw new TypeError(`retries: must be a whole number ≥ 0, got ${retries}`);
  if (options.priority !== undefined && !Number.isFinite(options.priority)) {
    throw new TypeError(`priority: must be a finite number, got ${options.priority}`);
  }
  if (options.key !== undefined && (typeof options.key !== 'string' || options.key === '')) {
    throw new TypeError('key: must be a non-empty string');
  }
  const timeoutMs = options.timeoutMs;
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2 ** 31 - 1))
    throw new TypeError(
      `timeoutMs: must be a whole number of milliseconds between 1 and ${2 ** 31 - 1}, got ${timeoutMs}`,
    );
  return {
    resources,
    pool: options.pool ?? null,
    retries,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}
