import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeftoverJobsFile, type ClusterModel } from '@drover/core';
import { childPids, isAlive, waitFor } from '../helpers/processes.js';
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
