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

  it('joins another cluster only with the Dask engine, naming joins otherwise', () => {
    expect(
      validateClusterSpec({
        kind: 'slurm',
        engine: 'dask',
        joins: 'reference',
        options: { cores: 1, memory: '1GiB' },
      }).joins,
    ).toBe('reference');
    expect(fieldOf({ kind: 'slurm', joins: 'reference' })).toBe('joins');
    expect(fieldOf({ kind: 'local', engine: 'dask', joins: 'a\nb' })).toBe('joins');
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

  it('previews a batch Dask job with the Dask worker command and the cluster authority, exactly', () => {
    const preview = renderPreview(
      validateClusterSpec({
        kind: 'slurm',
        engine: 'dask',
        options: { cores: 4, processes: 2, memory: '8GiB', gpus: 2, walltime: '01:00:00' },
      }),
    );
    const command = preview.script.split('\n').find((line) => line.includes('dask_worker'));
    expect(command).toBe(
      '/usr/bin/python3 -m distributed.cli.dask_worker tls://scheduler-address-not-known-yet:0 --name drover-worker ' +
        '--nthreads 2 --nworkers 2 --memory-limit 4294967296 --resources GPU=1 --lifetime 3420s --lifetime-stagger 240s ' +
        '--death-timeout 60 --tls-ca-file /path/to/cluster-ca.pem --tls-cert /path/to/cluster.pem --tls-key /path/to/cluster.key',
    );
  });

  it('refuses Drover-engine job options and TLS files for a Dask batch cluster, naming them', () => {
    expect(fieldOf({ kind: 'slurm', engine: 'dask', options: { pool: 'gpu' } })).toBe('options.pool');
    expect(fieldOf({ kind: 'sge', engine: 'dask', options: { workerBundle: '/shared/b' } })).toBe(
      'options.workerBundle',
    );
    expect(fieldOf({ kind: 'slurm', engine: 'dask', tls: { cert: '/x.pem', key: '/x.key' } })).toBe('tls');
  });
});
