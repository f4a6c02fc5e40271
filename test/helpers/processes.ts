import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, as users run it. */
export const DROVER_CLI = fileURLToPath(new URL('../../core/bin/drover.mjs', import.meta.url));

/** Pids of the direct children of `pid` (ps reads /proc; no mock). */
export function childPids(pid = process.pid): number[] {
  try {
    // ps is itself a child while it runs; leave it out.
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, command]) => command !== undefined && command !== 'ps')
      .map(([p]) => Number(p));
  } catch {
    return []; // ps exits 1 when there are none
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes (then throws `message`). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  message: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A `drover …` child process with its output collected; `stop()` ends it and waits. */
export interface DroverProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first stdout line matching `pattern`. */
  line: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /** Waits for the process to exit by itself and its output to be read; its exit code. */
  exitCode: (timeoutMs?: number) => Promise<number | null>;
}

export function startDrover(args: string[], env: NodeJS.ProcessEnv = {}): DroverProcess {
  const child = spawn(process.execPath, [DROVER_CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // 'close' comes once the output streams are drained too; 'exit' can come before the last output.
  let closed = false;
  const closedPromise = new Promise<void>((resolve) =>
    child.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  return {
    child,
    output: () => out,
    line: async (pattern, timeoutMs = 15_000) => {
      await waitFor(() => pattern.test(out) || closed, timeoutMs, `output matching ${pattern}; got:\n${out}`);
      const match = pattern.exec(out);
      if (!match) throw new Error(`process exited without printing ${pattern}:\n${out}`);
      return match;
    },
    exitCode: async (timeoutMs = 15_000) => {
      await waitFor(() => closed, timeoutMs, `the process to exit; output so far:\n${out}`);
      await closedPromise;
      return child.exitCode;
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
