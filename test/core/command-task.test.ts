import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  CommandError,
  CommandSpecError,
  runCommand,
  validateCommandSpec,
  type CommandPlacement,
  type CommandResult,
  type CommandSpec,
} from '../../core/dist/worker/command-task.js';

const fakeLauncher = fileURLToPath(new URL('../fixtures/fake-launcher.sh', import.meta.url));
const oneCore: CommandPlacement = { cores: 1, gpuIds: [] };

/**
 * Every command a test starts goes through `run`, so that afterEach can stop whatever a failed or
 * timed-out test left running: the disposer the style guide asks of helpers that start processes.
 */
const running = new Set<Promise<unknown>>();
let stopAll = new AbortController();

function run(spec: CommandSpec, placement: CommandPlacement, signal?: AbortSignal): Promise<CommandResult> {
  const combined = signal ? AbortSignal.any([signal, stopAll.signal]) : stopAll.signal;
  const promise = runCommand(spec, placement, combined);
  running.add(promise);
  promise.then(
    () => running.delete(promise),
    () => running.delete(promise),
  );
  return promise;
}

afterEach(async () => {
  stopAll.abort();
  await Promise.allSettled([...running]);
  stopAll = new AbortController();
});

/** Runs a command expected to fail and returns its CommandError (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<CommandError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CommandError);
  return error as CommandError;
}

/** Whether a process still runs; a zombie waiting for init to reap it has stopped running. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids a test command printed on its first line ("$$ $!"). */
function printedPids(stdout: string): number[] {
  const pids = (stdout.split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
  expect(pids.length).toBeGreaterThan(0);
  for (const pid of pids) expect(Number.isInteger(pid) && pid > 1).toBe(true);
  return pids;
}

describe('command tasks: environment and placement', () => {
  beforeAll(() => {
    process.env.DROVER_TEST_FROM_WORKER = 'worker';
    process.env.DROVER_TEST_OVERRIDDEN = 'worker';
  });
  afterAll(() => {
    delete process.env.DROVER_TEST_FROM_WORKER;
    delete process.env.DROVER_TEST_OVERRIDDEN;
  });

  it("the task's env is merged over the worker's env", async () => {
    const result = await run(
      {
        argv: [
          'sh',
          '-c',
          'printf "%s|%s|%s" "$DROVER_TEST_FROM_WORKER" "$DROVER_TEST_OVERRIDDEN" "$DROVER_TEST_NEW"',
        ],
        env: { DROVER_TEST_OVERRIDDEN: 'task', DROVER_TEST_NEW: 'new' },
      },
      oneCore,
    );
    expect(result.stdoutTail).toBe('worker|task|new');
  });

  it('the placed cores set OMP_NUM_THREADS, MKL_NUM_THREADS and OPENBLAS_NUM_THREADS', async () => {
    const result = await run(
      {
        argv: ['sh', '-c', 'printf "%s %s %s" "$OMP_NUM_THREADS" "$MKL_NUM_THREADS" "$OPENBLAS_NUM_THREADS"'],
      },
      { cores: 6, gpuIds: [] },
    );
    expect(result.stdoutTail).toBe('6 6 6');
  });

  it('the placed GPUs set CUDA_VISIBLE_DEVICES; a task placed on no GPU is shown none', async () => {
    const show = ['sh', '-c', 'printf "%s:%s" "${CUDA_VISIBLE_DEVICES+set}" "$CUDA_VISIBLE_DEVICES"'];
    const withGpus = await run({ argv: show }, { cores: 1, gpuIds: ['2', '0'] });
    expect(withGpus.stdoutTail).toBe('set:2,0');
    process.env.CUDA_VISIBLE_DEVICES = '0,1,2,3';
    try {
      const without = await run({ argv: show }, oneCore);
      expect(without.stdoutTail).toBe('set:');
    } finally {
      delete process.env.CUDA_VISIBLE_DEVICES;
    }
  });

  it('a launcher template gets cores and gpus substituted and goes in front of argv', async () => {
    const result = await run(
      { argv: ['cp2k.psmp', '-i', 'in.inp'], launcher: `${fakeLauncher}  -np {cores} --gpus={gpus}` },
      { cores: 8, gpuIds: ['0', '1'] },
    );
    expect(result.stdoutTail.split('\n').slice(0, 6)).toEqual([
      '-np',
      '8',
      '--gpus=2',
      'cp2k.psmp',
      '-i',
      'in.inp',
    ]);
  });

  it("with a launcher each rank gets one thread unless the task's env sets the count", async () => {
    const spec = { argv: ['prog'], launcher: `${fakeLauncher} -np {cores}` };
    const pure = await run(spec, { cores: 8, gpuIds: [] });
    expect(pure.stdoutTail).toContain('OMP_NUM_THREADS=1\n');
    const hybrid = await run({ ...spec, env: { OMP_NUM_THREADS: '2' } }, { cores: 8, gpuIds: [] });
    expect(hybrid.stdoutTail).toContain('OMP_NUM_THREADS=2\n');
  });

  it('the command runs in the given cwd', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-cwd-'));
    try {
      const result = await run({ argv: ['pwd', '-P'], cwd: dir }, oneCore);
      expect(result.stdoutTail.trim()).toBe(await realpath(dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('command tasks: results and failures', () => {
  it('a command that exits 0 resolves with its exit code, output tails and duration', async () => {
    const result = await run({ argv: ['sh', '-c', 'echo out; echo err >&2; sleep 0.2'] }, oneCore);
    expect(result).toMatchObject({ exitCode: 0, stdoutTail: 'out\n', stderrTail: 'err\n' });
    expect(result.durationMs).toBeGreaterThanOrEqual(150);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it("a command's non-zero exit is an error carrying the stderr tail", async () => {
    const error = await failure(
      run({ argv: ['sh', '-c', 'echo progress; echo "SCF did not converge" >&2; exit 3'] }, oneCore),
    );
    expect(error).toMatchObject({
      reason: 'exit',
      exitCode: 3,
      signal: null,
      stderrTail: 'SCF did not converge\n',
    });
    expect(error.stdoutTail).toBe('progress\n');
    expect(error.message).toContain('sh -c');
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('SCF did not converge');
  });

  it('a failing command with an empty stderr reports its stdout tail in the message', async () => {
    const error = await failure(run({ argv: ['sh', '-c', 'echo "ERROR in input line 7"; exit 1'] }, oneCore));
    expect(error.message).toContain('exited with code 1');
    expect(error.message).toContain('ERROR in input line 7');
  });

  it('a command killed by a signal is an error naming the signal', async () => {
    const error = await failure(run({ argv: ['sh', '-c', 'kill -SEGV $$'] }, oneCore));
    expect(error).toMatchObject({ reason: 'signal', exitCode: null, signal: 'SIGSEGV' });
    expect(error.message).toContain('SIGSEGV');
  });

  it('a missing executable is a spawn error naming argv[0] and pointing at the PATH', async () => {
    const error = await failure(run({ argv: ['drover-no-such-program', '--flag'] }, oneCore));
    expect(error).toMatchObject({ reason: 'spawn', exitCode: null });
    expect(error.message).toContain('"drover-no-such-program"');
    expect(error.message).toContain('PATH');
  });

  it('a missing launcher is a spawn error naming the launcher', async () => {
    const error = await failure(run({ argv: ['prog'], launcher: 'drover-no-mpirun -np {cores}' }, oneCore));
    expect(error.reason).toBe('spawn');
    expect(error.message).toContain('"drover-no-mpirun"');
  });

  it('a missing working directory is a spawn error naming the directory, not the program', async () => {
    const error = await failure(run({ argv: ['true'], cwd: '/nonexistent/drover-run-dir' }, oneCore));
    expect(error.reason).toBe('spawn');
    expect(error.message).toContain('"/nonexistent/drover-run-dir" does not exist');
  });

  it('a huge output keeps only the last tailBytes of each stream', async () => {
    // 32 MiB on stdout, then a marker; 8 MiB on stderr.
    const script =
      'head -c 33554432 /dev/zero | tr "\\0" x; printf END; head -c 8388608 /dev/zero | tr "\\0" y >&2';
    const result = await run({ argv: ['sh', '-c', script], tailBytes: 1000 }, oneCore);
    expect(result.stdoutTail).toHaveLength(1000);
    expect(result.stdoutTail).toBe(`${'x'.repeat(997)}END`);
    expect(result.stderrTail).toBe('y'.repeat(1000));
    const byDefault = await run({ argv: ['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" z'] }, oneCore);
    expect(byDefault.stdoutTail).toBe('z'.repeat(4096));
  });
});

describe('command tasks: stopping', () => {
  it('a timeout stops the command and its grandchild', async () => {
    const started = Date.now();
    const error = await failure(
      run({ argv: ['sh', '-c', 'sleep 60 & echo $$ $!; wait'], timeoutMs: 300 }, oneCore),
    );
    expect(error.reason).toBe('timeout');
    expect(error.message).toContain('timed out after 300 ms');
    expect(Date.now() - started).toBeLessThan(2000);
    const pids = printedPids(error.stdoutTail);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
  });

  it('a process that ignores SIGTERM is killed after the 2 s grace', async () => {
    const started = Date.now();
    const error = await failure(
      run({ argv: ['sh', '-c', 'trap "" TERM; sleep 60 & echo $$ $!; wait'], timeoutMs: 200 }, oneCore),
    );
    const elapsed = Date.now() - started;
    expect(error.reason).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(2100);
    expect(elapsed).toBeLessThan(5000);
    for (const pid of printedPids(error.stdoutTail)) expect(isRunning(pid)).toBe(false);
  });

  it('aborting the signal cancels the command and stops its process group', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await failure(
      run({ argv: ['sh', '-c', 'sleep 60 & echo $$ $!; wait'] }, oneCore, controller.signal),
    );
    expect(error.reason).toBe('cancelled');
    for (const pid of printedPids(error.stdoutTail)) expect(isRunning(pid)).toBe(false);
  });

  it('an abort that comes while the command is being prepared still cancels it', async () => {
    const controller = new AbortController();
    const started = Date.now();
    // The cwd check is asynchronous; a microtask aborts during it, before the spawn.
    const running = run({ argv: ['sleep', '60'], cwd: tmpdir() }, oneCore, controller.signal);
    queueMicrotask(() => controller.abort());
    const error = await failure(running);
    expect(error.reason).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an already aborted signal rejects without starting the command', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-abort-'));
    try {
      const error = await failure(
        run({ argv: ['touch', 'started'], cwd: dir }, oneCore, AbortSignal.abort()),
      );
      expect(error.reason).toBe('cancelled');
      expect(() => readFileSync(join(dir, 'started'))).toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a background process left behind by a finished command is stopped before the result', async () => {
    const started = Date.now();
    const result = await run({ argv: ['sh', '-c', 'sleep 60 >/dev/null 2>&1 & echo $!'] }, oneCore);
    expect(result.exitCode).toBe(0);
    // SIGTERM suffices for sleep, so the result must not wait out the 2 s grace.
    expect(Date.now() - started).toBeLessThan(1500);
    const [straggler] = printedPids(result.stdoutTail);
    expect(isRunning(straggler ?? 0)).toBe(false);
  });
});

describe('command task validation', () => {
  it.each([
    ['argv given as one string', { argv: 'python analyse.py' }, 'argv', /split it into words/],
    ['empty argv', { argv: [] }, 'argv', /non-empty array/],
    ['a number in argv', { argv: ['prog', 3] }, 'argv[1]', /String\(\)/],
    ['an empty program name', { argv: [''] }, 'argv[0]', /program name is empty/],
    [
      'a non-string env value',
      { argv: ['p'], env: { OMP_PROC_BIND: true } },
      'env.OMP_PROC_BIND',
      /expected a string/,
    ],
    [
      'CUDA_VISIBLE_DEVICES in env',
      { argv: ['p'], env: { CUDA_VISIBLE_DEVICES: '0' } },
      'env.CUDA_VISIBLE_DEVICES',
      /request GPUs/,
    ],
    ['a zero timeout', { argv: ['p'], timeoutMs: 0 }, 'timeoutMs', /positive number of milliseconds/],
    ['an infinite timeout', { argv: ['p'], timeoutMs: Infinity }, 'timeoutMs', /leave it out for no limit/],
    ['a timeout past the timer limit', { argv: ['p'], timeoutMs: 2 ** 31 }, 'timeoutMs', /about 24.8 days/],
    ['a NUL in argv', { argv: ['p', 'a\0b'] }, 'argv[1]', /NUL/],
    ['a NUL in an env value', { argv: ['p'], env: { A: 'x\0' } }, 'env.A', /NUL/],
    [
      'an unknown launcher placeholder',
      { argv: ['p'], launcher: 'srun -N {nodes}' },
      'launcher',
      /\{nodes\}/,
    ],
    ['a blank launcher', { argv: ['p'], launcher: '  ' }, 'launcher', /mpirun -np \{cores\}/],
    ['a fractional tailBytes', { argv: ['p'], tailBytes: 10.5 }, 'tailBytes', /integer from 0/],
    ['an empty cwd', { argv: ['p'], cwd: '' }, 'cwd', /non-empty directory path/],
    ['a misspelt field', { argv: ['p'], timeout: 5 }, 'timeout', /did you mean "timeoutMs"/],
    ['not an object', null, '(spec)', /expected an object/],
  ])('%s is rejected naming the field', (_case, spec, field, fix) => {
    let error: unknown;
    try {
      validateCommandSpec(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CommandSpecError);
    expect((error as CommandSpecError).field).toBe(field);
    expect((error as CommandSpecError).message).toContain(`"${field}"`);
    expect((error as CommandSpecError).message).toMatch(fix);
  });

  it('a valid spec comes back as a copy with every field kept', () => {
    const spec = {
      argv: ['a', 'b'],
      cwd: '/tmp',
      env: { A: '1' },
      timeoutMs: 10,
      launcher: 'srun -n {cores}',
      tailBytes: 0,
    };
    const checked = validateCommandSpec(spec);
    expect(checked).toEqual(spec);
    expect(checked.argv).not.toBe(spec.argv);
  });

  it('runCommand rejects an invalid spec before starting anything', async () => {
    await expect(runCommand({ argv: [] }, oneCore)).rejects.toBeInstanceOf(CommandSpecError);
  });
});
