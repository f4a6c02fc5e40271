// End to end on the real local SLURM and Grid Engine: the engine's workers run inside batch jobs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchCommandError,
  Client,
  JobQueueCluster,
  type JobQueueClusterOptions,
  type TrackedJob,
} from '@drover/core';
import { makeCertificates } from '../helpers/certificates.js';
import { onCleanup } from '../helpers/cluster.js';
import { waitFor } from '../helpers/processes.js';
import { REAL_SYSTEMS } from './helpers/real-systems.js';

const logs = mkdtempSync(join(tmpdir(), 'drover-batch-e2e-'));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

describe.each(REAL_SYSTEMS)('$kind cluster on the real batch system', (system) => {
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    stop = await system.up();
  }, 600_000);
  afterAll(() => stop());

  /** A cluster of 1-core jobs named `name`, closed (and checked gone from the queue) after the test. */
  async function batchCluster(
    name: string,
    extra: Partial<JobQueueClusterOptions> = {},
  ): Promise<{ cluster: JobQueueCluster; client: Client }> {
    const cluster = await JobQueueCluster.start(system.kind, {
      cores: 1,
      memory: '300MB',
      walltime: '00:10:00',
      name,
      logDirectory: logs,
      pollIntervalMs: 500,
      ...system.options,
      ...extra,
    });
    const client = await Client.connect(cluster);
    onCleanup(async () => {
      await client.close();
      await cluster.close();
      expect(system.jobsNamed(name), 'jobs left in the queue after close').toEqual([]);
    });
    return { cluster, client };
  }

  it('submit → pending → running, workers connect with their job ids, 1,000 tasks, scale up and down', async () => {
    const { cluster, client } = await batchCluster(`drover-e2e-scale-${system.kind}`);
    const seen: TrackedJob[] = [];
    cluster.on('job', (job: TrackedJob) => seen.push(job));
    await cluster.scale({ jobs: 2 });
    await waitFor(
      () => cluster.status().jobs.running === 2 && cluster.scheduler.workers.size === 2,
      60_000,
      'two workers from two running jobs',
    );
    const jobIds = cluster.jobs().map((j) => j.jobId);
    expect(new Set([...cluster.scheduler.workers.values()].map((w) => w.identity.jobId))).toEqual(
      new Set(jobIds),
    );
    expect(seen.filter((j) => j.jobId === jobIds[0]).map((j) => j.state.state)).toEqual(
      expect.arrayContaining(['pending', 'running']),
    );
    expect(cluster.status().timeToFirstWorkerMs).toBeGreaterThan(0);
    const values = await client.gather(
      client.map(
        (x: number) => x * x,
        Array.from({ length: 1000 }, (_, i) => i),
      ),
    );
    expect(values).toEqual(Array.from({ length: 1000 }, (_, i) => i * i));
    await cluster.scale({ jobs: 3 });
    await waitFor(() => cluster.scheduler.workers.size === 3, 60_000, 'a third worker');
    await cluster.scale({ workers: 1 });
    await waitFor(
      () => cluster.scheduler.workers.size === 1 && cluster.status().jobs.running === 1,
      60_000,
      'scale down to one job',
    );
    expect(cluster.scheduler.departed.map((d) => d.reason)).toEqual(['scaled-down', 'scaled-down']);
    expect(await client.gather(client.map((x: number) => x + 1, [1, 2, 3]))).toEqual([2, 3, 4]);
  });

  it('a job cancelled by the user mid-run (scancel, qdel): its tasks run again elsewhere, none spends a retry, a replacement job comes', async () => {
    const { cluster, client } = await batchCluster(`drover-e2e-cancel-${system.kind}`);
    await cluster.scale({ jobs: 2 });
    await waitFor(() => cluster.scheduler.workers.size === 2, 60_000, 'two workers');
    const tasks = client.with({ retries: 0 }).map(
      async (x: number) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return x;
      },
      Array.from({ length: 300 }, (_, i) => i),
    );
    await waitFor(
      () => [...cluster.scheduler.workers.values()].every((w) => w.processing.size > 0),
      30_000,
      'both workers busy',
    );
    const victim = [...cluster.scheduler.workers.values()][0]!.identity.jobId!;
    system.cancel(victim);
    expect(await client.gather(tasks)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    await waitFor(
      () => cluster.jobs().find((j) => j.jobId === victim)?.endReason === 'cancelled',
      30_000,
      'the cancelled job to be seen',
    );
    await waitFor(() => cluster.status().jobs.running === 2, 60_000, 'a replacement job');
  });

  it('a 1-minute walltime: workers leave before it, a replacement job is submitted ahead, no task is lost', async () => {
    const { cluster, client } = await batchCluster(`drover-e2e-walltime-${system.kind}`, {
      walltime: '00:01:00',
      lifetimeMargin: 20,
    });
    await cluster.scale({ jobs: 1 });
    const tasks = client.with({ retries: 0 }).map(
      async (x: number) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return x;
      },
      Array.from({ length: 700 }, (_, i) => i),
    );
    expect(await client.gather(tasks)).toEqual(Array.from({ length: 700 }, (_, i) => i));
    const first = cluster.jobs()[0]!;
    expect(cluster.jobs().length).toBeGreaterThanOrEqual(2);
    expect(cluster.scheduler.departed.filter((d) => d.jobId === first.jobId).map((d) => d.reason)).toEqual([
      'lifetime',
    ]);
    // The replacement was running before the first job ended, so the results moved to it.
    const second = cluster.jobs()[1]!;
    expect(second.startedAt!.getTime()).toBeLessThan(first.endedAt!.getTime());
    expect(cluster.scheduler.graph.countByState().memory).toBe(700);
  }, 180_000);

  it('a bad queue or partition: a clear error with the system’s message, the command and exit code; nothing left behind', async () => {
    const error = await JobQueueCluster.start(system.kind, {
      ...system.options,
      cores: 1,
      memory: '100MB',
      queue: system.badQueue.queue,
      name: 'drover-e2e-bad',
      logDirectory: logs,
      jobs: 1,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BatchCommandError);
    const failure = error as BatchCommandError;
    expect(failure.message).toMatch(system.badQueue.message);
    expect(failure.command).toMatch(system.badQueue.command);
    expect(failure.exitCode).not.toBe(0);
    expect(system.jobsNamed('drover-e2e-bad')).toEqual([]);
  });

  it('with TLS the job scripts carry the certificate files and the workers serve over wss://', async () => {
    const certs = makeCertificates();
    onCleanup(() => certs.remove());
    const tls = { cert: certs.cert, key: certs.key, ca: certs.ca };
    const { cluster, client } = await batchCluster(`drover-e2e-tls-${system.kind}`, {
      scheduler: { tls },
    });
    expect(cluster.schedulerAddress).toMatch(/^wss:\/\//);
    expect(cluster.jobScript()).toContain(`--tls-cert ${certs.cert} --tls-key ${certs.key}`);
    await cluster.scale({ jobs: 1 });
    await waitFor(() => cluster.scheduler.workers.size === 1, 60_000, 'a worker from the TLS job');
    const [worker] = [...cluster.scheduler.workers.values()];
    expect(worker!.identity.dataAddress).toMatch(/^wss:\/\//);
    expect(await client.gather(client.map((x: number) => x * 2, [1, 2, 3]))).toEqual([2, 4, 6]);
  });

  it('clusters of two pools share one scheduler: each kind of task runs in its own jobs, and only the pool with work grows', async () => {
    const { cluster: cpu, client } = await batchCluster(`drover-e2e-pool-cpu-${system.kind}`, {
      pool: 'cpu',
    });
    const { cluster: gpu } = await batchCluster(`drover-e2e-pool-gpu-${system.kind}`, {
      pool: 'gpu',
      resources: { accelerator: 1 },
      scheduler: cpu.scheduler,
    });
    expect(gpu.schedulerAddress).toBe(cpu.schedulerAddress);
    expect(gpu.jobScript()).toContain('--pool gpu');
    const adapt = { minimumJobs: 0, maximumJobs: 1, intervalMs: 500, waitCount: 2 };
    cpu.adapt(adapt);
    gpu.adapt(adapt);

    // The batch job a task ran in, read inside the task.
    const jobOf = async (x: number) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return `${x}@${process.env.SLURM_JOB_ID ?? process.env.JOB_ID}`;
    };
    const trained = client.with({ pool: 'gpu', resources: { accelerator: 1 } }).map(jobOf, [1, 2, 3, 4]);
    const ran = await client.gather(trained);
    const gpuJobs = new Set(gpu.jobs().map((j) => j.jobId));
    expect(ran.map((r) => r.split('@')[1]).every((id) => gpuJobs.has(id!))).toBe(true);
    expect(cpu.jobs()).toEqual([]); // no cpu job was needed for gpu work

    const computed = await client.gather(client.with({ pool: 'cpu' }).map(jobOf, [5, 6]));
    const cpuJobs = new Set(cpu.jobs().map((j) => j.jobId));
    expect(cpuJobs.size).toBe(1);
    expect(computed.map((r) => r.split('@')[1]).every((id) => cpuJobs.has(id!))).toBe(true);
    expect(gpu.status().workersConnected + cpu.status().workersConnected).toBe(cpu.scheduler.workers.size);

    // Closing one cluster leaves the shared scheduler and the other pool working.
    await gpu.close();
    expect(await client.with({ pool: 'cpu' }).submit((x: number) => x + 1, 1)).toBe(2);

    // Closing the cluster that owns the scheduler closes those sharing it, leaving no job.
    const lateName = `drover-e2e-pool-late-${system.kind}`;
    const { cluster: late } = await batchCluster(lateName, {
      pool: 'gpu',
      scheduler: cpu.scheduler,
      jobs: 1,
    });
    await cpu.close();
    await waitFor(() => late.status().state === 'closed', 30_000, 'the sharing cluster to close');
    await waitFor(() => system.jobsNamed(lateName).length === 0, 30_000, 'its job to leave the queue');
    // Four clusters' jobs go through the queue one after another; Grid Engine schedules every few seconds.
  }, 180_000);

  it('adapt submits jobs while work waits and removes them when it is done', async () => {
    const { cluster, client } = await batchCluster(`drover-e2e-adapt-${system.kind}`);
    cluster.adapt({ minimumJobs: 0, maximumJobs: 2, intervalMs: 500, waitCount: 2 });
    const tasks = client.map(
      async (x: number) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return x;
      },
      Array.from({ length: 100 }, (_, i) => i),
    );
    await waitFor(() => cluster.scheduler.workers.size === 2, 60_000, 'adaptive scale-up to 2 jobs');
    expect(await client.gather(tasks)).toHaveLength(100);
    // While the results are held, one job stays to keep them; once released, the cluster empties.
    // The idle job leaves after the adaptive wait and the batch system's next poll; the last one stays.
    await waitFor(() => cluster.status().jobs.running === 1, 30_000, 'adaptive scale-down to 1 job');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(cluster.status().jobs.running).toBe(1);
    for (const task of tasks) task.release();
    await waitFor(
      () => cluster.status().jobs.running + cluster.status().jobs.pending === 0,
      60_000,
      'adaptive scale-down to 0 jobs',
    );
    expect(cluster.jobs().length).toBe(2);
  });
});
