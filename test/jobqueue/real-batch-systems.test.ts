// Real batch systems on this machine: SLURM (slurm-start.sh), PBS through Debian's Torque wrappers
// over that SLURM, LSF through the shim in test/fixtures/lsf-shim, and Grid Engine (sge-start.sh).
// The worker command is replaced by a shell that prints its arguments and sleeps, so the jobs run the
// exact rendered script without the engine. Every job submitted here is cancelled or ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchCommandError,
  cancelOrphanedJobs,
  commandRunner,
  dryRunJob,
  LeftoverJobsFile,
  prepareJobScript,
  slurm,
  submitJob,
  type TrackedJob,
} from '@drover/core';
import {
  bringUpBatchSystems,
  liveSgeJobs,
  liveSlurmJobs,
  LSF_SHIM,
  pollUntil,
} from './helpers/batch-systems.js';
import { RealBatchContext, readFileSafe } from './helpers/real-setup.js';

const logs = mkdtempSync(join(tmpdir(), 'drover-real-'));
const state = mkdtempSync(join(tmpdir(), 'drover-real-state-'));
let dispose: (() => Promise<void>) | undefined;
let ctx: RealBatchContext;
const options: RealBatchContext['options'] = (kind, extra) => ctx.options(kind, extra);
const connection = { address: 'ws://127.0.0.1:9', tokenFile: join(state, 'token') };

beforeAll(async () => {
  const up = await bringUpBatchSystems();
  dispose = up.dispose;
  ctx = new RealBatchContext(logs, state, up.torqueBin);
  // The 1-minute walltime jobs start first and run while the other tests do (they take ~70 s).
  for (const kind of ['slurm', 'lsf', 'sge'] as const) {
    ctx.get(kind).walltimeJob = await ctx.submit(kind, {
      walltime: kind === 'lsf' ? '00:01' : '00:01:00',
      name: `drover-${kind}-walltime`,
    });
  }
}, 900_000);

afterAll(async () => {
  await ctx?.cancelAll().catch(() => undefined);
  rmSync(logs, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
  await dispose?.();
}, 180_000);

describe('SLURM (real slurmctld + slurmd)', () => {
  const s = () => ctx.get('slurm');

  it('a job goes pending (with its reason) → running on the node in the batched poll, running the exact script', async () => {
    const seen: string[] = [];
    s().tracker.on('state', (j: TrackedJob) =>
      seen.push(`${j.jobId}:${j.state.state}:${'reason' in j.state ? j.state.reason : ''}`),
    );
    const job = await ctx.submit(s().kind, { jobExtraDirectives: ['--begin=now+4'] });
    const pending = await pollUntil(
      s().tracker,
      job.jobId,
      (j) => j.state.state === 'pending' && j.state.reason !== 'submitted',
    );
    expect(pending.state).toMatchObject({ state: 'pending', reason: 'BeginTime' });
    const running = await pollUntil(s().tracker, job.jobId, (j) => j.state.state === 'running');
    expect(running.state).toMatchObject({ state: 'running', node: expect.any(String) });
    // --begin=now+4 counts from SLURM's submit second, and its start time has 1-second resolution,
    // while submittedAt is taken in ms when sbatch returns: the wait seen is 3-4 s (2,991 ms once).
    expect(running.queueWaitMs).toBeGreaterThanOrEqual(2500);
    // Every change is an event (the estimated start may update too): pending ones, then running.
    const states = seen.filter((e) => e.startsWith(`${job.jobId}:`)).map((e) => e.split(':')[1]);
    expect(states[0]).toBe('pending');
    expect(states.at(-1)).toBe('running');
    expect(new Set(states)).toEqual(new Set(['pending', 'running']));
    expect(seen).toContain(`${job.jobId}:pending:BeginTime`);
    await expect
      .poll(() => readFileSafe(running.stdoutPath!), { timeout: 10_000 })
      .toContain('worker args: worker ws://127.0.0.1:9 --token-file');
  });

  it('cancel → the job ends as cancelled, and leaves the queue', async () => {
    const job = await ctx.submit(s().kind);
    await pollUntil(s().tracker, job.jobId, (j) => j.state.state === 'running');
    await s().tracker.cancel([job.jobId]);
    const done = await pollUntil(s().tracker, job.jobId, (j) => j.endReason !== undefined);
    expect(done.state.state).toBe('cancelled');
    expect(done.endReason).toBe('cancelled');
    expect(liveSlurmJobs()).not.toContain(job.jobId);
  });

  it("sbatch --test-only is the dry run and returns SLURM's own message", async () => {
    const { script, job } = prepareJobScript('slurm', options('slurm'), { connection });
    const result = await dryRunJob(slurm, job, script, commandRunner());
    expect(result.accepted).toBe(true);
    expect(result.message).toMatch(/to start at .* in partition debug/);
    expect(result.command).toMatch(/^sbatch --test-only /);
  });

  it("a bad partition is refused with sbatch's message, the command and the exit code", async () => {
    const { script, job } = prepareJobScript('slurm', options('slurm', { queue: 'nosuch' }), { connection });
    const error = await submitJob(slurm, job, script, commandRunner()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchCommandError);
    const e = error as BatchCommandError;
    expect(e.stderr).toContain('invalid partition specified: nosuch');
    expect(e.command).toMatch(/^sbatch --parsable \/.*job\.sh$/);
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain('exit code 1');
    expect((await dryRunJob(slurm, job, script, commandRunner())).accepted).toBe(false);
  });

  it('finds the final state of a job in the jobcomp log when accounting (sacct) is off', async () => {
    const job = await ctx.submit(s().kind, { workerCommand: ['bash', '-c', 'exit 3', 'drover'] });
    await pollUntil(s().tracker, job.jobId, (j) => j.endReason !== undefined);
    await expect
      .poll(async () => (await slurm.lookupFinished([job.jobId], commandRunner())).get(job.jobId), {
        timeout: 10_000,
      })
      .toMatchObject({ state: 'failed', reason: 'failed', exitCode: 3 });
  });

  it('cancels the jobs a dead launcher left behind', async () => {
    const { script, job } = prepareJobScript('slurm', options('slurm'), { connection });
    const jobId = await submitJob(slurm, job, script, commandRunner());
    ctx.remember('slurm', jobId);
    const dead = new LeftoverJobsFile(state, 9_999_999);
    await dead.add({ jobId, kind: 'slurm', cluster: 'crashed', submittedAt: new Date().toISOString() });
    const cleanup = await cancelOrphanedJobs(new LeftoverJobsFile(state));
    expect(cleanup).toEqual({ cancelled: [jobId], errors: [] });
    await expect.poll(() => liveSlurmJobs().includes(jobId), { timeout: 10_000 }).toBe(false);
    expect(await new LeftoverJobsFile(state).findOrphans()).toEqual([]);
  });

  it('a 1-minute walltime job is killed at its limit and ends with reason walltime', async () => {
    const id = s().walltimeJob!.jobId;
    const job = await pollUntil(s().tracker, id, (j) => j.endReason !== undefined, 150_000);
    expect(job.endReason).toBe('walltime');
    expect(job.endDetail).toBe('TIMEOUT (TimeLimit)');
  }, 160_000);
});

describe('PBS through the Torque wrappers (slurm-wlm-torque) over SLURM', () => {
  const s = () => ctx.get('pbs');

  it('qsub → running in the batched qstat -f, qdel → cancelled', async () => {
    const job = await ctx.submit(s().kind);
    expect(job.jobId).toMatch(/^\d+/);
    const running = await pollUntil(s().tracker, job.jobId, (j) => j.state.state === 'running');
    expect(running.state).toMatchObject({ node: expect.any(String) });
    await s().tracker.cancel([job.jobId]);
    const done = await pollUntil(s().tracker, job.jobId, (j) => j.endReason !== undefined);
    expect(done.state.state).toBe('cancelled');
  });

  it("a bad queue is refused with the wrapper's message, the command and the exit code", async () => {
    const { script, job } = prepareJobScript('pbs', options('pbs', { queue: 'nosuch' }), {
      connection,
      system: s().system,
    });
    const run = commandRunner(s().commands);
    const e = (await submitJob(s().system, job, script, run).catch((x: unknown) => x)) as BatchCommandError;
    expect(e).toBeInstanceOf(BatchCommandError);
    expect(e.stdout + e.stderr).toContain('invalid partition specified: nosuch');
    expect(e.command).toContain(`${s().commands.binDirectory}/qsub `);
    expect(e.exitCode).not.toBe(0);
  });

  it("has no dry-run command: says so, after Drover's own checks passed", async () => {
    const { script, job } = prepareJobScript('pbs', options('pbs'), { connection, system: s().system });
    expect(await dryRunJob(s().system, job, script, commandRunner(s().commands))).toMatchObject({
      accepted: true,
      command: null,
    });
  });
});

describe('LSF through the shim over SLURM', () => {
  const s = () => ctx.get('lsf');

  it('bsub < script → RUN in the batched bjobs -o, bkill → cancelled (TERM_OWNER)', async () => {
    const job = await ctx.submit(s().kind);
    const running = await pollUntil(s().tracker, job.jobId, (j) => j.state.state === 'running');
    await expect
      .poll(() => readFileSafe(running.stdoutPath!), { timeout: 10_000 })
      .toContain('--memory-limit 100000000');
    await s().tracker.cancel([job.jobId]);
    const done = await pollUntil(s().tracker, job.jobId, (j) => j.endReason !== undefined);
    expect(done.state).toMatchObject({ state: 'cancelled', detail: 'TERM_OWNER: job killed by owner' });
  });

  it("a bad queue is refused with bsub's message and exit code 255", async () => {
    const { script, job } = prepareJobScript('lsf', options('lsf', { queue: 'nosuch' }), { connection });
    const run = commandRunner(s().commands);
    const e = (await submitJob(s().system, job, script, run).catch((x: unknown) => x)) as BatchCommandError;
    expect(e).toBeInstanceOf(BatchCommandError);
    expect(e.stderr).toContain('nosuch: No such queue. Job not submitted.');
    expect(e.exitCode).toBe(255);
    expect(e.command).toBe(`${LSF_SHIM}/bsub < (script)`);
  });

  it('a 1-minute -W job ends with reason walltime (TERM_RUNLIMIT)', async () => {
    const id = s().walltimeJob!.jobId;
    const job = await pollUntil(s().tracker, id, (j) => j.endReason !== undefined, 150_000);
    expect(job.endReason).toBe('walltime');
    expect(job.endDetail).toMatch(/^TERM_RUNLIMIT/);
  }, 160_000);
});

describe('Grid Engine (real sge_qmaster + sge_execd)', () => {
  const s = () => ctx.get('sge');

  it('a job with a later start time waits (qw), then runs (r), in the batched qstat -xml; qdel → cancelled (qacct)', async () => {
    const at = new Date(Date.now() + 5000);
    const p = (n: number) => String(n).padStart(2, '0');
    const date = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}`;
    const stamp = `${date}${p(at.getHours())}${p(at.getMinutes())}.${p(at.getSeconds())}`;
    const job = await ctx.submit(s().kind, { jobExtraDirectives: [`-a ${stamp}`] });
    const pending = await pollUntil(
      s().tracker,
      job.jobId,
      (j) => j.state.state === 'pending' && j.state.reason !== 'submitted',
    );
    // The scheduler's own words ("execution time not reached", or why the slots are busy when
    // other jobs hold them) come with the state code once it has looked at the job.
    expect(pending.state).toMatchObject({
      reason: expect.stringMatching(/^(.+ \()?queued \(.*w\)\)?$/),
    });
    const running = await pollUntil(s().tracker, job.jobId, (j) => j.state.state === 'running', 60_000);
    expect(running.state).toMatchObject({ node: expect.any(String) });
    await expect.poll(() => readFileSafe(running.stdoutPath!), { timeout: 10_000 }).toContain('--token-file');
    await s().tracker.cancel([job.jobId]);
    const done = await pollUntil(s().tracker, job.jobId, (j) => j.endReason !== undefined, 30_000);
    expect(done.state.state).toBe('cancelled');
  });

  it("qsub -w p is the dry run and returns the scheduler's verdict", async () => {
    const ok = prepareJobScript('sge', options('sge'), { connection });
    expect(await dryRunJob(s().system, ok.job, ok.script, commandRunner(s().commands))).toMatchObject({
      accepted: true,
      message: expect.stringContaining('found suitable queue'),
    });
    const big = prepareJobScript('sge', options('sge', { cores: 64 }), { connection });
    const refused = await dryRunJob(s().system, big.job, big.script, commandRunner(s().commands));
    expect(refused.accepted).toBe(false);
    expect(refused.message).toContain('no suitable queues');
  });

  it("a bad queue is refused with qsub's message, the command and the exit code", async () => {
    const { script, job } = prepareJobScript('sge', options('sge', { queue: 'nosuch.q' }), { connection });
    const run = commandRunner(s().commands);
    const e = (await submitJob(s().system, job, script, run).catch((x: unknown) => x)) as BatchCommandError;
    expect(e).toBeInstanceOf(BatchCommandError);
    expect(e.stderr).toContain('job requests unknown queue "nosuch.q"');
    expect(e.command).toMatch(/^\/usr\/bin\/qsub -terse /);
    expect(e.exitCode).toBe(1);
  });

  it('an h_rt=00:01:00 job is stopped by the qmaster and ends with reason walltime (qacct failed 37)', async () => {
    const id = s().walltimeJob!.jobId;
    const job = await pollUntil(s().tracker, id, (j) => j.endReason !== undefined, 150_000);
    expect(job.endReason).toBe('walltime');
    expect(job.endDetail).toContain('failed 37');
  }, 160_000);
});

describe('after the suite', () => {
  it('no job submitted here is left queued or running', async () => {
    await ctx.cancelAll();
    await expect
      .poll(() => liveSlurmJobs().filter((id) => ctx.submittedSlurm.includes(id)), { timeout: 20_000 })
      .toEqual([]);
    await expect
      .poll(() => liveSgeJobs().filter((id) => ctx.submittedSge.includes(id)), { timeout: 20_000 })
      .toEqual([]);
  }, 60_000);
});
