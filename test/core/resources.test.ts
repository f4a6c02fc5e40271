import { describe, expect, it } from 'vitest';
import { onCleanup, startCluster } from '../helpers/cluster.js';
import { startDrover, waitFor } from '../helpers/processes.js';

describe('resource-aware placement', () => {
  it('a gpus: 1 task waits for a worker with a GPU, then runs there with its GPU index', async () => {
    const { cluster, client } = await startCluster({ workers: 1 });
    const gpuTask = client.with({ resources: { gpus: 1 } }).submit(() => {
      const task = (globalThis as { droverTask?: { gpus: string[] } }).droverTask;
      return task!.gpus;
    });
    const cpuTask = client.submit((x: number) => x + 1, 1);
    expect(await cpuTask).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(gpuTask.status).toBe('pending');
    const gpuWorker = startDrover(
      ['worker', cluster.schedulerAddress, '--name', 'gpu-node', '--resources', 'gpus=2'],
      {
        DROVER_TOKEN: cluster.token,
      },
    );
    onCleanup(() => gpuWorker.stop());
    expect(await gpuTask).toEqual(['0']);
    const events = (await client.getTaskStream()).events.filter(
      (e) => e.key === gpuTask.key && e.outcome === 'memory',
    );
    expect(events[0]!.worker).toBe('gpu-node');
  });

  it("a 2-process worker splits the batch system's GPUs: each process and task gets its own device", async () => {
    const { cluster, client } = await startCluster({ workers: 0 });
    // What SLURM gives a job of --gres=gpu:2 on a node whose GPUs 5 and 7 were free.
    const job = startDrover(
      ['worker', cluster.schedulerAddress, '--nworkers', '2', '--name', 'gpujob', '--resources', 'gpus=1'],
      { DROVER_TOKEN: cluster.token, CUDA_VISIBLE_DEVICES: '5,7', SLURM_JOB_GPUS: '5,7' },
    );
    onCleanup(() => job.stop());
    await waitFor(() => cluster.scheduler.workers.size === 2, 60_000, 'both worker processes to join');
    const holdGpu = async (_which: number) => {
      await new Promise((resolve) => setTimeout(resolve, 1500)); // both run at once
      return (globalThis as { droverTask?: { gpus: string[] } }).droverTask!.gpus;
    };
    const gpu = client.with({ resources: { gpus: 1 } });
    const seen = await client.gather([gpu.submit(holdGpu, 1), gpu.submit(holdGpu, 2)]);
    expect(seen.flat().sort()).toEqual(['5', '7']);
    const command = await gpu.command({ argv: ['sh', '-c', 'printf %s "$CUDA_VISIBLE_DEVICES"'] });
    expect(['5', '7']).toContain(command.stdoutTail);
  });

  it('tasks of a named pool run only on workers serving that pool', async () => {
    const { cluster, client } = await startCluster({ workers: 1 });
    const training = startDrover(
      ['worker', cluster.schedulerAddress, '--name', 'trainer', '--pool', 'training'],
      {
        DROVER_TOKEN: cluster.token,
      },
    );
    onCleanup(() => training.stop());
    const trained = client.with({ pool: 'training' }).map((x: number) => x, [1, 2, 3, 4]);
    await client.gather(trained);
    const workers = new Set(
      (await client.getTaskStream()).events
        .filter((e) => trained.some((f) => f.key === e.key))
        .map((e) => e.worker),
    );
    expect([...workers]).toEqual(['trainer']);
  });

  it('a custom resource no worker declares is an error naming it and the fix', async () => {
    const { client } = await startCluster({ workers: 1 });
    await expect(client.with({ resources: { licences: 1 } }).submit(() => 1)).rejects.toThrow(
      /resource 'licences', which no worker declares.*--resources licences=N/,
    );
  });

  it('a task asking for 2 cores occupies both slots of a 2-slot worker', async () => {
    const { client } = await startCluster({ workers: 1, threadsPerWorker: 2 });
    const sleep = async (ms: number) => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, ms));
      return [start, Date.now()];
    };
    const wide = client.with({ resources: { cores: 2 }, pure: false }).submit(sleep, 300);
    const narrow = client.with({ pure: false }).map(sleep, [100, 100]);
    const [[wideStart, wideEnd], spans] = [await wide, await client.gather(narrow)];
    for (const [start, end] of spans) expect(start! >= wideEnd! || end! <= wideStart!).toBe(true);
  });
});
