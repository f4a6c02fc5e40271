import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { encodeValue } from '../protocol/codec.js';
import type { FunctionDefinition, TaskOptionsWire } from '../protocol/messages.js';
import { validateCommandSpec, type CommandResult, type CommandSpec } from '../worker/command-task.js';
import { describeFunction, functionName, type ModuleFunction } from './function-ref.js';
import type { Future } from './future.js';
import { streamResults, type Streamed } from './map-stream.js';
import { toWireOptions, type SubmitOptions } from './submit-options.js';
import { orderGraph, substituteRefs, type GraphFutures, type GraphTask } from './task-graph-spec.js';

/** A value, or a future whose value the worker substitutes. */
export type FutureOr<T> = T | Future<T>;
type FutureArgs<A extends unknown[]> = { [K in keyof A]: FutureOr<A[K]> };
type Shippable<A extends unknown[], R> = ((...args: A) => R) | ModuleFunction<(...args: A) => R>;

interface Described {
  definition: FunctionDefinition;
  name: string;
  /** Hash of the definition, the start of every pure key of this function. */
  digest: string;
}

/**
 * What a submitter needs of the connected client: ids for functions and options (sent once),
 * keys, futures and the submit operation itself. `Client` provides it.
 */
export interface SubmissionTarget {
  functionId(definition: FunctionDefinition): number;
  optionsId(options: TaskOptionsWire): number;
  /** A key no other submission of this client will use. */
  uniqueKey(name: string): string;
  /** A new future for `key`, counting the reference. */
  futureFor<T>(key: string): Future<T>;
  sendSubmit(
    key: string,
    fnId: number,
    args: Uint8Array,
    deps: string[],
    optionsId: number,
    priority: number,
  ): void;
}

/** What the tasks of one submit or map call share. */
interface SubmissionPlan {
  client: SubmissionTarget;
  name: string;
  /** The key the caller chose (submit only). */
  key: string | null;
  pure: boolean;
  /** Function and options: with the arguments' bytes, the pure key. */
  digest: string;
  fnId: number;
  optionsId: number;
  priority: number;
}

const described = new WeakMap<object, Described>();
const COMMAND: Described = { definition: { kind: 'command' }, name: 'command', digest: 'command' };

/**
 * `submit`, `map` and `command` with a fixed set of {@link SubmitOptions}. `client.with(options)`
 * returns one; the client itself is one with no options.
 *
 * ```ts
 * const gpu = client.with({ resources: { gpus: 1 }, pool: 'training', retries: 2 });
 * const model = gpu.submit(train, config);
 * ```
 */
export class TaskSubmitter {
  constructor(protected readonly defaults: SubmitOptions = {}) {}

  protected get client(): SubmissionTarget {
    throw new Error('TaskSubmitter needs a client');
  }

  /** The same submitter with `options` added to (and overriding) its own. */
  with(options: SubmitOptions): TaskSubmitter {
    return new BoundSubmitter(this.client, { ...this.defaults, ...options });
  }

  /** Runs `fn(...args)` on a worker. Arguments may be futures of other tasks. */
  submit<A extends unknown[], R>(fn: Shippable<A, R>, ...args: FutureArgs<A>): Future<Awaited<R>> {
    return this.submitOne(describe(fn), args, this.defaults);
  }

  /** Runs `fn(item)` for every item; one future per item, in order. */
  map<T, R>(
    fn: Shippable<[T], R>,
    items: Iterable<FutureOr<T>>,
    options: SubmitOptions = {},
  ): Future<Awaited<R>>[] {
    const merged = { ...this.defaults, ...options };
    if (merged.key !== undefined)
      throw new TypeError('key: map gives every task its own key; use submit for a named task');
    const plan = this.plan(describe(fn), merged);
    const futures: Future<Awaited<R>>[] = [];
    for (const item of items) futures.push(this.submitPlanned(plan, [item]));
    return futures;
  }

  /**
   * Like `map` for inputs too many to hold (millions of samples, a lazy generator): keeps at most
   * `window` tasks unfinished, yields `{ value, index }` as each finishes and releases it. Memory
   * stays bounded by the window; leaving the loop early cancels what is still running.
   *
   * ```ts
   * for await (const { value, index } of client.mapStream(sample, parameterGrid(), { window: 5000 })) {
   *   histogram.add(value);
   * }
   * ```
   */
  mapStream<T, R>(
    fn: Shippable<[T], R>,
    items: Iterable<FutureOr<T>> | AsyncIterable<FutureOr<T>>,
    options: SubmitOptions & { window?: number } = {},
  ): AsyncGenerator<Streamed<Awaited<R>>, void, undefined> {
    const { window = 1000, ...submitOptions } = options;
    if (!Number.isInteger(window) || window < 1) {
      throw new TypeError(`window: must be a whole number ≥ 1 (tasks in flight at once), got ${window}`);
    }
    const merged = { ...this.defaults, ...submitOptions };
    if (merged.key !== undefined)
      throw new TypeError('key: mapStream gives every task its own key; use submit for a named task');
    const plan = this.plan(describe(fn), merged);
    return streamResults((item) => this.submitPlanned<Awaited<R>>(plan, [item]), items, window);
  }

  /**
   * Submits a graph given as data: each named task is `[fn, ...args]`, and `ref(name)` anywhere in
   * the arguments stands for the result of the task of that name. A future per name comes back.
   *
   * ```ts
   * const { total } = client.compute({
   *   a: [loadBlock, 'traj.dcd', 0],
   *   b: [loadBlock, 'traj.dcd', 1],
   *   total: [(x: number[], y: number[]) => x.length + y.length, ref('a'), ref('b')],
   * });
   * ```
   */
  compute<G extends Record<string, GraphTask>>(graph: G, options: SubmitOptions = {}): GraphFutures<G> {
    const merged = { ...this.defaults, ...options };
    if (merged.key !== undefined) throw new TypeError('key: every task of a graph gets its own key');
    const futures: Record<string, Future> = {};
    for (const name of orderGraph(graph)) {
      const [fn, ...args] = graph[name]!;
      const plan = this.plan(describe(fn), merged);
      futures[name] = this.submitPlanned(plan, substituteRefs(args, futures) as unknown[]);
    }
    return futures as GraphFutures<G>;
  }

  /**
   * Runs a program on a worker: `{ argv, cwd, env, timeoutMs, launcher }`. Its `cores` (from
   * `resources.cores`) set `OMP_NUM_THREADS`; its GPUs set `CUDA_VISIBLE_DEVICES`. The result has the
   * exit code and the tails of its output; a non-zero exit is a task error carrying them.
   */
  command(spec: CommandSpec, options: SubmitOptions = {}): Future<CommandResult> {
    const valid = validateCommandSpec(spec);
    const name = basename(valid.argv[0]!).replace(/[^\w.]/g, '_') || 'command';
    return this.submitOne({ ...COMMAND, name }, [valid], { ...this.defaults, ...options });
  }

  /** @internal */
  protected hash(prefix: string, bytes: Uint8Array): string {
    return createHash('sha1').update(prefix).update(bytes).digest('hex').slice(0, 24);
  }

  private submitOne<T>(description: Described, args: unknown[], options: SubmitOptions): Future<T> {
    return this.submitPlanned(this.plan(description, options), args);
  }

  /** What every task of one submit or map call shares, checked and registered once. */
  private plan(description: Described, options: SubmitOptions): SubmissionPlan {
    const client = this.client;
    const wire = toWireOptions(options);
    return {
      client,
      name: description.name,
      key: options.key ?? null,
      pure: options.pure !== false,
      digest: description.digest + JSON.stringify(wire),
      fnId: client.functionId(description.definition),
      optionsId: client.optionsId(wire),
      priority: options.priority ?? 0,
    };
  }

  private submitPlanned<T>(plan: SubmissionPlan, args: unknown[]): Future<T> {
    const { bytes, references } = encodeArguments(args);
    const key =
      plan.key ??
      (plan.pure ? `${plan.name}-${this.hash(plan.digest, bytes)}` : plan.client.uniqueKey(plan.name));
    const future = plan.client.futureFor<T>(key);
    plan.client.sendSubmit(key, plan.fnId, bytes, references, plan.optionsId, plan.priority);
    return future;
  }
}

class BoundSubmitter extends TaskSubmitter {
  constructor(
    private readonly owner: SubmissionTarget,
    defaults: SubmitOptions,
  ) {
    super(defaults);
  }

  protected override get client(): SubmissionTarget {
    return this.owner;
  }
}

function describe(fn: unknown): Described {
  const key = fn as object;
  let description = described.get(key);
  if (!description) {
    const definition = describeFunction(fn);
    const digest = createHash('sha1').update(JSON.stringify(definition)).digest('hex');
    description = { definition, name: functionName(definition), digest };
    described.set(key, description);
  }
  return description;
}

function encodeArguments(args: unknown[]): { bytes: Uint8Array; references: string[] } {
  try {
    return encodeValue(args);
  } catch (error) {
    throw new TypeError(`cannot send the task's arguments: ${(error as Error).message}`);
  }
}
