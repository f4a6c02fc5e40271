// Workers on compute nodes that have only Node: the cluster places the single-file worker bundle on
// the "shared" file system (a directory outside the checkout, from which no node_modules can be
// resolved), the SLURM job checks its checksum and runs it, and the worker joins and computes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCheckLine, Client, JobQueueCluster } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { waitFor } from '../helpers/processes.js';
import { ensureSlurm, slurmJobsNamed } from './helpers/slurm-up.js';

const shared = mkdtempSync(join(tmpdir(), 'drover-shared-'));
afterAll(() => rmSync(shared, { recursive: true, force: true }));

describe('single-file worker bundle on SLURM', () => {
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    stop = await ensureSlurm();
  }, 600_000);
  afterAll(() => stop());

  it('a job runs the checked bundle with only node, its worker joins from the job and computes', async () => {
    const name = 'drover-e2e-bundle';
    // Nothing Drover depends on resolves from where the bundle lives.
    expect(() => createRequire(join(shared, 'x.mjs')).resolve('ws')).toThrow(/Cannot find module/);
    const cluster = await JobQueueCluster.start('slurm', {
      cores: 1,
      memory: '300MB',
      walltime: '00:10:00',
      name,
      logDirectory: shared,
      workerBundle: shared,
      // The job's environment names no module path and starts outside the checkout.
      env: { NODE_PATH: '' },
      jobScriptPrologue: [`cd ${shared}`],
      pollIntervalMs: 500,
      commandOptions: { cwd: shared },
    });
    const client = await Client.connect(cluster);
    onCleanup(async () => {
      await client.close();
      await cluster.close();
      expect(slurmJobsNamed(name), 'jobs left in the queue after close').toEqual([]);
    });
    const script = cluster.jobScript();
    expect(script).toMatch(
      /^node -e .* \/tmp\/drover-shared-\w+\/drover-worker-[0-9a-f]{16}\.mjs [0-9a-f]{64} \|\| exit 1$/m,
    );
    expect(script).toMatch(/^node \/tmp\/drover-shared-\w+\/drover-worker-[0-9a-f]{16}\.mjs worker /m);
    expect(readdirSync(shared).filter((f) => f.startsWith('drover-worker-'))).toHaveLength(1);
    await cluster.scale({ jobs: 1 });
    await waitFor(() => cluster.scheduler.workers.size === 1, 120_000, 'the bundle worker to join');
    const worker = [...cluster.scheduler.workers.values()][0]!;
    expect(worker.identity.jobId).toBe(cluster.jobs()[0]!.jobId);
    const cmdline = readFileSync(`/proc/${worker.identity.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline.slice(0, 2)).toEqual([
      'node',
      expect.stringMatching(/^\/tmp\/drover-shared-\w+\/drover-worker-/),
    ]);
    // Function tasks run in the bundle's own threads.
    expect(await client.gather(client.map((x: number) => x + 1, [1, 2, 3]))).toEqual([2, 3, 4]);
  }, 240_000);

  it('a bundle that changed on the shared file system stops the job before the worker starts, saying why', () => {
    const copy = join(shared, 'drover-worker-copy.mjs');
    const bundle = { source: copy, path: copy, sha256: 'a'.repeat(64) };
    writeFileSync(copy, 'half a file');
    const check = (): string => {
      try {
        execFileSync('bash', ['-c', `${bundleCheckLine('node', bundle)}\necho started`], {
          encoding: 'utf8',
          stdio: 'pipe',
        });
        return 'started';
      } catch (e) {
        return String((e as { stderr?: string }).stderr);
      }
    };
    expect(check()).toMatch(
      /the worker bundle .*drover-worker-copy\.mjs has sha256 [0-9a-f]{64}, expected a{64}; it is incomplete or from another Drover version/,
    );
    rmSync(copy);
    expect(check()).toMatch(/has sha256 missing/);
  });
});
