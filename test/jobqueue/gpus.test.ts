// GPUs on a batch system: a job's GPUs are split among its worker processes, and each process and
// task gets a disjoint share of the devices the batch system assigned (never 0-based ids it made up).
import { describe, expect, it } from 'vitest';
import {
  assignedGpus,
  detectLocalGpus,
  JobQueueConfigError,
  resolveJob,
  splitGpus,
  workerArgv,
  workerGpuIds,
} from '@drover/core';

const conn = { address: 'ws://10.1.2.3:9000', tokenFile: '/shared/t.token' };

describe("a job's GPUs among its processes", () => {
  it('gpus: 2, processes: 2 makes each worker process declare 1 GPU, not both', () => {
    const argv = workerArgv(
      resolveJob('slurm', { cores: 4, memory: '8GB', gpus: 2, processes: 2 }),
      conn,
      'w',
    );
    expect(argv[argv.indexOf('--nworkers') + 1]).toBe('2');
    expect(argv[argv.indexOf('--resources') + 1]).toBe('gpus=1');
  });

  it('refuses a split that does not divide, naming gpus and processes', () => {
    let error: unknown;
    try {
      resolveJob('pbs', { cores: 4, memory: '8GB', gpus: 3, processes: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JobQueueConfigError);
    expect((error as JobQueueConfigError).field).toBe('gpus');
    expect((error as Error).message).toMatch(/3 GPUs cannot be split evenly among processes=2/);
  });
});

describe("the batch system's assignment", () => {
  it.each([
    [
      'SLURM --gres (CUDA_VISIBLE_DEVICES)',
      { CUDA_VISIBLE_DEVICES: '2,3', SLURM_JOB_GPUS: '2,3' },
      ['2', '3'],
      'CUDA_VISIBLE_DEVICES',
    ],
    ['SLURM without CUDA_VISIBLE_DEVICES', { SLURM_JOB_GPUS: '4,5' }, ['4', '5'], 'SLURM_JOB_GPUS'],
    ['a SLURM step', { SLURM_STEP_GPUS: '1', SLURM_JOB_GPUS: '0,1' }, ['1'], 'SLURM_STEP_GPUS'],
    [
      'PBS Pro / LSF',
      { CUDA_VISIBLE_DEVICES: 'GPU-5c1f0a2e,GPU-77aa01b3' },
      ['GPU-5c1f0a2e', 'GPU-77aa01b3'],
      'CUDA_VISIBLE_DEVICES',
    ],
    ['Grid Engine RSMAP', { SGE_HGR_gpu: 'gpu0 gpu1' }, ['0', '1'], 'SGE_HGR_gpu'],
  ])('%s', (_what, env, ids, source) => {
    expect(assignedGpus(env)).toEqual({ ids, source });
  });

  it("a site's SGE consumable name picks its variable; SLURM's NoDevFiles means none", () => {
    expect(assignedGpus({ SGE_HGR_nvidia_gpu: '3 7' }, 'nvidia_gpu')?.ids).toEqual(['3', '7']);
    expect(assignedGpus({ SLURM_JOB_GPUS: 'NoDevFiles' })).toBeNull();
  });

  it('hands each process a disjoint contiguous share of the assigned ids', () => {
    const all = workerGpuIds(4, { SLURM_JOB_GPUS: '4,5,6,7' });
    expect(splitGpus(all.ids, 2)).toEqual([
      ['4', '5'],
      ['6', '7'],
    ]);
    expect(() => splitGpus(['0', '1', '2'], 2)).toThrow(/cannot be split evenly among 2 worker processes/);
  });

  it('fewer assigned devices than declared is an error naming both; none assigned uses what was declared', () => {
    expect(() => workerGpuIds(2, { CUDA_VISIBLE_DEVICES: '0' })).toThrow(
      /declares gpus=2 but CUDA_VISIBLE_DEVICES gives 1 device/,
    );
    expect(workerGpuIds(2, {})).toEqual({ ids: ['0', '1'], source: 'declared' });
  });

  it('nvidia-smi -L is read when present; its absence means no detection', () => {
    const out =
      'GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-aaa)\nGPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-bbb)\n';
    expect(detectLocalGpus(() => out)).toEqual({ ids: ['0', '1'], source: 'nvidia-smi -L' });
    expect(
      detectLocalGpus(() => {
        throw Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' });
      }),
    ).toBeNull();
  });
});
