import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LeftoverJobsFile, type ClusterModel, type JobModel } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { childPids, isAlive, waitFor } from '../helpers/processes.js';
import { slurmJobsNamed } from '../jobqueue/helpers/slurm-up.js';
import { privateHome, startServe } from '../helpers/serve.js';

const SCRIPTS = join(import.meta.dirname, '..', '..', 'scripts', 'ci');
let startedSlurm = false;

function slurmUp(): boolean {
  return spawnSync('scontrol', ['ping'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

beforeAll(() => {
  if (!slurmUp()) {
    execFileSync('bash', [join(SCRIPTS, 'slurm-start.sh')], { stdio: 'ignore', timeout: 600_000 });
    startedSlurm = true;
  }
}, 600_000);
afterAll(() => {
  if (startedSlurm)
    execFileSync('bash', [join(SCRIPTS, 'slurm-stop.sh')], { stdio: 'ignore', timeout: 120_000 });
}, 120_000);

describe('persistence and re-adoption', () => {
  it('a manager killed with SIGKILL: the next one starts its clusters again, same name and size', async () => {
    const home = privateHome();
    const first = await startServe(home);
    await first.call('POST', '/api/clusters', {
      kind: 'local',
      name: 'keeper',
      scale: 1,
      options: { threadsPerWorker: 2 },
    });
    await first.call('PATCH', '/api/clusters/keeper', { scale: 2 });
    const records = join(home.XDG_STATE_HOME, 'drover', 'clusters');
    expect(readdirSync(records)).toEqual([expect.stringMatching(new RegExp(`-${first.pid}\\.json$`))]);

    const workers = childPids(first.pid);
    expect(workers).toHaveLength(2);
    first.process.child.kill('SIGKILL');
    await waitFor(() => !isAlive(first.pid), 5000, 'the first manager to die');
    await waitFor(() => workers.every((pid) => !isAlive(pid)), 10_000, 'its workers to exit with it');

    const second = await startServe(home);
    await waitFor(
      async () => {
        const list = (await second.call('GET', '/api/clusters')).body as ClusterModel[];
        return list.length === 1 && list[0]!.state === 'running' && list[0]!.workers.connected === 2;
      },
      20_000,
      'the cluster to be restored with 2 workers',
    );
    const restored = (await second.call('GET', '/api/clusters/keeper')).body as ClusterModel;
    expect(restored).toMatchObject({ name: 'keeper', kind: 'local', cores: 4, workers: { requested: 2 } });
    expect(restored.restoredAt).toEqual(expect.any(String));
    // The dead manager's records are dropped once taken over; only the new manager's file stays.
    await waitFor(
      () =>
        readdirSync(records).join() ===
        readdirSync(records)
          .filter((f) => f.endsWith(`-${second.pid}.json`))
          .join(),
      5000,
      "the dead manager's record file to be replaced by the new one",
    );
  });

  it('a manager that shut down cleanly leaves nothing to restore', async () => {
    const home = privateHome();
    const first = await startServe(home);
    await first.call('POST', '/api/clusters', { kind: 'local', name: 'tidy', scale: 1 });
    await first.process.stop('SIGTERM');
    const second = await startServe(home);
    expect((await second.call('GET', '/api/clusters')).body).toEqual([]);
  });

  it('a batch cluster comes back with its jobs: the next manager takes them over and their workers join it (real SLURM)', async () => {
    const home = privateHome();
    const logs = join(home.XDG_STATE_HOME, 'logs');
    const options = {
      cores: 1,
      memory: '300MB',
      walltime: '00:10:00',
      logDirectory: logs,
      name: 'drover-adopt',
    };
    const first = await startServe(home);
    const created = await first.call('POST', '/api/clusters', {
      kind: 'slurm',
      name: 'hpc',
      scale: 1,
      options,
    });
    expect(created.status).toBe(201);
    onCleanup(() => void spawnSync('scancel', ['--name', 'drover-adopt']));
    await waitFor(
      async () =>
        ((await first.call('GET', '/api/clusters/hpc')).body as ClusterModel).workers.connected === 1,
      60_000,
      'the first job running and its worker connected',
    );
    const [job] = (await first.call('GET', '/api/clusters/hpc/jobs')).body as JobModel[];
    const before = (await first.call('GET', '/api/clusters/hpc')).body as ClusterModel;

    first.process.child.kill('SIGKILL');
    await waitFor(() => !isAlive(first.pid), 5000, 'the first manager to die');
    const second = await startServe(home);
    await waitFor(
      async () => {
        const model = (await second.call('GET', '/api/clusters/hpc')).body as ClusterModel;
        return model.state === 'running' && model.workers.connected === 1;
      },
      60_000,
      'the restored cluster with the old job’s worker joined again',
    );
    const after = (await second.call('GET', '/api/clusters/hpc')).body as ClusterModel;
    expect(after.restoredAt).toEqual(expect.any(String));
    expect(after.schedulerAddress).toBe(before.schedulerAddress);
    const jobs = (await second.call('GET', '/api/clusters/hpc/jobs')).body as JobModel[];
    expect(jobs.map((j) => [j.jobId, j.state])).toEqual([[job!.jobId, 'running']]);
    expect(slurmJobsNamed('drover-adopt')).toEqual([job!.jobId]); // nothing new was submitted
    const [, address] = /Client\.connect\("([^"]+)"/.exec(after.clientCode)!;
    const client = await Client.connect(address!);
    expect(await client.gather(client.map((x: number) => x * 3, [1, 2]))).toEqual([3, 6]);
    await client.close();

    expect((await second.call('DELETE', '/api/clusters/hpc')).status).toBe(204);
    await waitFor(() => slurmJobsNamed('drover-adopt').length === 0, 20_000, 'no job left in squeue');
  });

  it('cancels the batch jobs a dead manager left in the queue (real SLURM)', async () => {
    const home = privateHome();
    const jobId = execFileSync(
      'sbatch',
      ['--parsable', '-J', 'drover-orphan', '-t', '5', '-o', '/dev/null', '--wrap', 'sleep 300'],
      {
        encoding: 'utf8',
      },
    )
      .trim()
      .split(';')[0]!;
    const deadPid = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
        .stdout,
    );
    const leftovers = new LeftoverJobsFile(join(home.XDG_STATE_HOME, 'drover'), deadPid);
    await leftovers.add({ jobId, kind: 'slurm', cluster: 'gone', submittedAt: new Date().toISOString() });
    const inQueue = (): boolean =>
      execFileSync('squeue', ['-h', '-j', jobId, '-o', '%i'], { encoding: 'utf8' }).trim() !== '';
    try {
      expect(inQueue()).toBe(true);
      const serve = await startServe(home);
      expect((await serve.call('GET', '/api/health')).status).toBe(200);
      await waitFor(() => !inQueue(), 15_000, `job ${jobId} to be cancelled`);
      expect(readdirSync(join(home.XDG_STATE_HOME, 'drover', 'jobs'))).toEqual([]);
    } finally {
      spawnSync('scancel', [jobId]);
    }
  });
});
