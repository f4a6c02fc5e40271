import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, moduleFunction, RemoteTaskError } from '@drover/core';
import { onCleanup, startCluster } from '../helpers/cluster.js';

describe('task errors', () => {
  it('a remote error is re-thrown with the task key, the remote name and message, and the remote stack', async () => {
    const { client } = await startCluster();
    const future = client.submit(function failing(x: number) {
      throw new RangeError(`bad value ${x}`);
    }, 7);
    const error = await future.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteTaskError);
    const remote = error as RemoteTaskError;
    expect(remote.key).toBe(future.key);
    expect(remote.message).toContain(future.key);
    expect(remote.message).toContain('RangeError: bad value 7');
    expect(remote.remoteStack).toContain('failing');
    expect(remote.stack).toContain('remote stack');
  });

  it('dependents of a failed task fail with the cause, naming the dependency', async () => {
    const { client } = await startCluster();
    const bad = client.submit(() => {
      throw new Error('root cause');
    });
    const dependent = client.submit((x: unknown) => x, bad);
    await expect(dependent).rejects.toThrow(new RegExp(`in its dependency '${bad.key}'.*root cause`));
  });

  it('retries run a failing task again; when they are exhausted the task errs with the last reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-retries-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const { client } = await startCluster();
    // Fails on the first two attempts; the attempt count lives in a file because tasks share nothing else.
    const flaky = (path: string, failures: number) => {
      const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
      const attempt = fs.existsSync(path) ? Number(fs.readFileSync(path, 'utf8')) + 1 : 1;
      fs.writeFileSync(path, String(attempt));
      if (attempt <= failures) throw new Error(`attempt ${attempt} failed`);
      return attempt;
    };
    expect(await client.with({ retries: 2 }).submit(flaky, join(dir, 'a'), 2)).toBe(3);
    await expect(client.with({ retries: 1 }).submit(flaky, join(dir, 'b'), 5)).rejects.toThrow(
      /attempt 2 failed/,
    );
  });

  it('an inline function that uses a variable only the worker lacks fails there saying so and how to fix it', async () => {
    const { client } = await startCluster();
    // Looked up by name at run time, so no reading of the source can see it before the worker does.
    await expect(client.submit((x: number) => x + (0, eval)('offset'), 1)).rejects.toThrow(
      /uses 'offset', which is not defined on the worker.*Pass 'offset' as an argument/,
    );
  });

  it('unserializable arguments are refused at submit', async () => {
    const { client } = await startCluster();
    expect(() =>
      client.submit(
        (f: unknown) => f,
        () => 1,
      ),
    ).toThrow(/cannot send the task's arguments: a function cannot be sent/);
    expect(() => client.submit((s: unknown) => s, Symbol('x'))).toThrow(/symbol cannot be sent/);
  });

  it('a missing module is refused at submit; a missing export is a task error naming what the module has', async () => {
    const { client } = await startCluster();
    expect(() => moduleFunction('./no/such/module.mjs', 'f')).toThrow(
      /module '.\/no\/such\/module.mjs' not found/,
    );
    const wrong = moduleFunction(
      new URL('../fixtures/science.mjs', import.meta.url).pathname,
      'notAFunction',
    );
    await expect(client.submit(wrong)).rejects.toThrow(
      /has no exported function 'notAFunction'.*rmsd, slowSquare/,
    );
  });

  it('bad options are refused at submit, naming the option', async () => {
    const { client } = await startCluster();
    expect(() => client.with({ retries: -1 }).submit(() => 1)).toThrow(/^retries:/);
    expect(() => client.with({ resources: { gpus: -1 } }).submit(() => 1)).toThrow(
      /^resources: resource 'gpus'/,
    );
    expect(() => client.with({ resources: { memory: 'lots' } }).submit(() => 1)).toThrow(
      /resources.memory: "lots" is not a size/,
    );
  });

  it('cancelling a running task and its dependents rejects their futures with CancelledError', async () => {
    const { client } = await startCluster();
    const slow = client.submit(async () => new Promise((resolve) => setTimeout(resolve, 10_000)));
    const dependent = client.submit((x: unknown) => x, slow);
    await new Promise((resolve) => setTimeout(resolve, 200));
    slow.cancel();
    await expect(slow).rejects.toBeInstanceOf(CancelledError);
    await expect(dependent).rejects.toBeInstanceOf(CancelledError);
    expect(slow.status).toBe('cancelled');
    // The workers are free again.
    expect(await client.submit((x: number) => x + 1, 1)).toBe(2);
  });
});
