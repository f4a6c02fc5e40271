/** What a command task runs; checked by {@link validateCommandSpec} before anything is spawned. */
export interface CommandSpec {
  /** Program and arguments, e.g. `['cp2k.psmp', '-i', 'in.inp']`. Non-empty, strings only; no shell. */
  argv: string[];
  /** Working directory on the worker; defaults to the worker's own. */
  cwd?: string;
  /** Variables merged over the worker's environment. */
  env?: Record<string, string>;
  /** Wall-clock limit in ms; when it passes the command's whole process group is stopped. */
  timeoutMs?: number;
  /**
   * MPI launcher template such as `'mpirun -np {cores}'` or `'srun -n {cores}'`: split on whitespace,
   * `{cores}` and `{gpus}` replaced by the placed counts, then put in front of `argv`.
   */
  launcher?: string;
  /** How many of the last bytes of stdout and of stderr to keep; default {@link DEFAULT_TAIL_BYTES}. */
  tailBytes?: number;
}

/** Bytes of each output stream a command task keeps when `tailBytes` is not given. */
export const DEFAULT_TAIL_BYTES = 4096;

/**
 * The largest `tailBytes` accepted. Tails travel back in result messages; a command whose full output
 * matters should write it to a file in its `cwd`.
 */
export const MAX_TAIL_BYTES = 1024 * 1024;

/** The longest `timeoutMs` accepted: Node's timers overflow past 2^31 - 1 ms (about 24.8 days). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The placeholders a launcher template may use. */
export const LAUNCHER_PLACEHOLDERS: readonly string[] = ['{cores}', '{gpus}'];

/** A command spec that cannot run as given; `field` names the offending field (e.g. `argv[2]`). */
export class CommandSpecError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`Invalid command task field "${field}": ${message}`);
    this.name = 'CommandSpecError';
    this.field = field;
  }
}

/**
 * Checks an untrusted value (e.g. decoded from a message) and returns it as a fresh
 * {@link CommandSpec}, or throws a {@link CommandSpecError} that names the field and the fix.
 *
 * #### Notes
 * Unknown fields are rejected rather than ignored, so a typo such as `timeout` for `timeoutMs` does not
 * silently run a command without its limit. `env.CUDA_VISIBLE_DEVICES` is rejected because the worker
 * sets it from the GPUs placed for the task; letting a task override it would let it use GPUs placed
 * for others.
 */
export function validateCommandSpec(spec: unknown): CommandSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new CommandSpecError(
      '(spec)',
      `expected an object such as { argv: ['prog', 'arg'] }, got ${describe(spec)}`,
    );
  }
  const input = spec as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.includes(key)) {
      // hasOwn: a key such as `constructor` must not find Object.prototype's.
      const hint = Object.hasOwn(RENAMES, key) ? RENAMES[key] : undefined;
      throw new CommandSpecError(
        key,
        `unknown field; ${hint ? `did you mean "${hint}"? ` : ''}known fields are ${KNOWN_FIELDS.join(', ')}`,
      );
    }
  }
  const out: CommandSpec = { argv: checkArgv(input.argv) };
  if (input.cwd !== undefined) {
    if (typeof input.cwd !== 'string' || input.cwd === '') {
      throw new CommandSpecError('cwd', `expected a non-empty directory path, got ${describe(input.cwd)}`);
    }
    out.cwd = input.cwd;
  }
  if (input.env !== undefined) out.env = checkEnv(input.env);
  if (input.timeoutMs !== undefined) {
    const t = input.timeoutMs;
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) {
      throw new CommandSpecError(
        'timeoutMs',
        `expected a positive number of milliseconds (e.g. 3600000 for one hour), got ${describe(t)}; leave it out for no limit`,
      );
    }
    if (t > MAX_TIMEOUT_MS) {
      throw new CommandSpecError(
        'timeoutMs',
        `${t} ms is beyond the longest timeout a worker can keep (${MAX_TIMEOUT_MS} ms, about 24.8 days); leave it out for no limit`,
      );
    }
    out.timeoutMs = t;
  }
  if (input.launcher !== undefined) out.launcher = checkLauncher(input.launcher);
  if (input.tailBytes !== undefined) {
    const n = input.tailBytes;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > MAX_TAIL_BYTES) {
      throw new CommandSpecError(
        'tailBytes',
        `expected an integer from 0 to ${MAX_TAIL_BYTES}, got ${describe(n)}; to keep more output, write it to a file in cwd`,
      );
    }
    out.tailBytes = n;
  }
  return out;
}

// Private: what follows is internal to this module.

const KNOWN_FIELDS = ['argv', 'cwd', 'env', 'timeoutMs', 'launcher', 'tailBytes'];

/** Names users reach for first, mapped to the field they mean. */
const RENAMES: Record<string, string> = {
  args: 'argv',
  command: 'argv',
  cmd: 'argv',
  timeout: 'timeoutMs',
  timeout_ms: 'timeoutMs',
  workdir: 'cwd',
  dir: 'cwd',
  environment: 'env',
  mpi: 'launcher',
  mpiCommand: 'launcher',
  tail: 'tailBytes',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a value of type ${typeof value}`;
}

function checkArgv(value: unknown): string[] {
  if (typeof value === 'string') {
    throw new CommandSpecError(
      'argv',
      `expected an array of strings, got the string ${describe(value)}; split it into words, e.g. ['python', 'analyse.py', 'block-3'] (no shell is involved)`,
    );
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new CommandSpecError(
      'argv',
      `expected a non-empty array of strings such as ['python', 'analyse.py'], got ${describe(value)}`,
    );
  }
  value.forEach((item, i) => {
    if (typeof item !== 'string') {
      throw new CommandSpecError(
        `argv[${i}]`,
        `expected a string, got ${describe(item)}; convert numbers with String()`,
      );
    }
    // A NUL cannot pass through exec(); Node would throw a TypeError from deep inside spawn.
    if (item.includes('\0')) throw new CommandSpecError(`argv[${i}]`, 'contains a NUL character; remove it');
  });
  if (value[0] === '')
    throw new CommandSpecError(
      'argv[0]',
      'the program name is empty; give a program on the PATH or an absolute path',
    );
  return [...(value as string[])];
}

function checkEnv(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CommandSpecError(
      'env',
      `expected an object of string values such as { OMP_PROC_BIND: 'true' }, got ${describe(value)}`,
    );
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (name === '' || name.includes('=') || name.includes('\0')) {
      throw new CommandSpecError(
        `env.${name}`,
        'a variable name must be non-empty and contain neither "=" nor NUL',
      );
    }
    if (name === 'CUDA_VISIBLE_DEVICES') {
      throw new CommandSpecError(
        'env.CUDA_VISIBLE_DEVICES',
        'the worker sets it from the GPUs placed for the task; request GPUs in the task resources instead',
      );
    }
    if (typeof v !== 'string') {
      throw new CommandSpecError(
        `env.${name}`,
        `expected a string, got ${describe(v)}; convert numbers with String()`,
      );
    }
    if (v.includes('\0')) throw new CommandSpecError(`env.${name}`, 'contains a NUL character; remove it');
    out[name] = v;
  }
  return out;
}

function checkLauncher(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CommandSpecError(
      'launcher',
      `expected a template such as 'mpirun -np {cores}', got ${describe(value)}`,
    );
  }
  for (const placeholder of value.match(/\{[^}]*\}/g) ?? []) {
    if (!LAUNCHER_PLACEHOLDERS.includes(placeholder)) {
      throw new CommandSpecError(
        'launcher',
        `unknown placeholder ${placeholder}; the template may use ${LAUNCHER_PLACEHOLDERS.join(' and ')}`,
      );
    }
  }
  return value;
}
