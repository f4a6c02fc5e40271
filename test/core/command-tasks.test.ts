import { describe, expect, it } from 'vitest';
import { RemoteTaskError } from '@drover/core';
import { startCluster } from '../helpers/cluster.js';

describe('command tasks through the client', () => {
  it('runs an argv with env and cwd; cores set OMP_NUM_THREADS; the result has the exit code and output tail', async () => {
    const { client } = await startCluster({ workers: 1, threadsPerWorker: 2 });
    const result = await client.with({ resources: { cores: 2 } }).command({
      argv: ['sh', '-c', 'echo "$BLOCK $OMP_NUM_THREADS $(pwd)"'],
      env: { BLOCK: 'block-3' },
      cwd: '/tmp',
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdoutTail.trim()).toBe('block-3 2 /tmp');
  });

  it('a non-zero exit is a task error carrying the exit code and the stderr tail', async () => {
    const { client } = await startCluster({ workers: 1 });
    const failing = client.command({ argv: ['sh', '-c', 'echo "SCF did not converge" >&2; exit 3'] });
    const error = (await failing.then(
      () => null,
      (e: unknown) => e,
    )) as RemoteTaskError;
    expect(error).toBeInstanceOf(RemoteTaskError);
    expect(error.message).toMatch(/exit.*3/);
    expect(error.message).toContain('SCF did not converge');
    expect(error.detail.exitCode).toBe(3);
  });

  it('a command that is not on the worker PATH fails naming it', async () => {
    const { client } = await startCluster({ workers: 1 });
    await expect(client.command({ argv: ['cp2k.nonexistent', '-i', 'in.inp'] })).rejects.toThrow(
      /cp2k.nonexistent/,
    );
  });

  it('a bad command spec is refused at submit naming the field', async () => {
    const { client } = await startCluster({ workers: 1 });
    expect(() => client.command({ argv: [] })).toThrow(/argv/);
  });
});
