import { describe, expect, it } from 'vitest';
import { renderPreview, validateClusterSpec } from '@drover/core/manager';

const fieldOf = (input: unknown): string | undefined => {
  try {
    validateClusterSpec(input);
    return undefined;
  } catch (error) {
    return (error as { field?: string }).field;
  }
};

describe('the engine field of a cluster spec', () => {
  it('defaults to drover and takes dask; anything else is refused naming engine', () => {
    expect(validateClusterSpec({ kind: 'local' }).engine).toBeUndefined();
    expect(validateClusterSpec({ kind: 'local', engine: 'dask' }).engine).toBe('dask');
    expect(fieldOf({ kind: 'local', engine: 'ray' })).toBe('engine');
    expect(fieldOf({ kind: 'local', engine: 1 })).toBe('engine');
  });

  it('refuses an option of the other engine, naming it', () => {
    expect(fieldOf({ kind: 'local', options: { python: '/usr/bin/python3' } })).toBe('options.python');
    expect(fieldOf({ kind: 'local', engine: 'dask', options: { pools: ['gpu'] } })).toBe('options.pools');
    expect(fieldOf({ kind: 'local', engine: 'dask', options: { python: 'a\nb' } })).toBe('options.python');
  });

  it('takes memory limit 0 as no limit (ESPEI runs its workers so)', () => {
    expect(
      validateClusterSpec({ kind: 'local', engine: 'dask', options: { memoryLimit: 0 } }).options,
    ).toEqual({
      memoryLimit: 0,
    });
  });

  it('previews a local Dask cluster as the Python that starts it', () => {
    const preview = renderPreview(
      validateClusterSpec({
        kind: 'local',
        engine: 'dask',
        name: 'sweep',
        scale: 2,
        adapt: { minimum: 1, maximum: 4 },
        options: { threadsPerWorker: 2, memoryLimit: 0, resources: { GPU: 1 } },
      }),
    );
    expect(preview.language).toBe('python');
    expect(preview.script).toBe(
      [
        'from dask.distributed import Client',
        'import drover',
        '',
        'cluster = drover.LocalCluster(n_workers=2, threads_per_worker=2, memory_limit=0, resources={"GPU":1}, name="sweep")',
        'cluster.adapt(minimum=1, maximum=4)',
        'client = Client(cluster)',
        '',
      ].join('\n'),
    );
  });
});
