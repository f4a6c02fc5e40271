// Starts the local SLURM, Torque wrappers and Grid Engine for the real-batch-system tests, and
// returns a disposer that stops what this run started (a system that was already up stays up).
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { JobTracker, type TrackedJob } from '@drover/core';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
export const SCRIPTS = join(ROOT, 'scripts', 'ci');
export const LSF_SHIM = join(ROOT, 'test', 'fixtures', 'lsf-shim');

function succeeds(file: string, args: string[]): boolean {
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Brings every batch system up; returns the Torque wrapper directory and a disposer. */
export async function bringUpBatchSystems(): Promise<{ torqueBin: string; dispose: () => Promise<void> }> {
  const slurmWasUp = succeeds('scontrol', ['ping']);
  const sgeWasUp = succeeds('qconf', ['-sh']);
  // Several jobs run at once here (three walltime jobs plus the one under test): advertise more
  // CPUs than the 2-core runner has; the jobs only sleep.
  const env = { ...process.env, SLURM_LOCAL_CPUS: '8' };
  // A system that is up is left alone: test files run two at a time, and two start scripts at
  // once on a running SLURM can fail.
  if (!slurmWasUp) await run('bash', [join(SCRIPTS, 'slurm-start.sh')], { env, timeout: 600_000 });
  const { stdout } = await run('bash', [join(SCRIPTS, 'torque-wrappers.sh')], { timeout: 600_000 });
  if (!sgeWasUp) await run('bash', [join(SCRIPTS, 'sge-start.sh')], { timeout: 600_000 });
  return {
    torqueBin: stdout.trim(),
    dispose: async () => {
      if (!sgeWasUp) await run('bash', [join(SCRIPTS, 'sge-stop.sh'), '--purge'], { timeout: 120_000 });
      if (!slurmWasUp) await run('bash', [join(SCRIPTS, 'slurm-stop.sh'), '--purge'], { timeout: 120_000 });
    },
  };
}

/** Polls the tracker until the job satisfies `done` (bounded); returns the job. */
export async function pollUntil(
  tracker: JobTracker,
  jobId: string,
  done: (job: TrackedJob) => boolean,
  timeoutMs = 30_000,
): Promise<TrackedJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await tracker.poll();
    const job = tracker.get(jobId)!;
    if (done(job)) return job;
    if (Date.now() > deadline)
      throw new Error(`job ${jobId} still ${JSON.stringify(job.state)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Ids of jobs SLURM still has queued or running. */
export function liveSlurmJobs(): string[] {
  return execFileSync('squeue', ['--noheader', '--states=PD,R,CG,CF,S', '--format=%i'], { encoding: 'utf8' })
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Ids of jobs Grid Engine still lists. */
export function liveSgeJobs(): string[] {
  const xml = execFileSync('qstat', ['-xml', '-u', '*'], { encoding: 'utf8' });
  return [...xml.matchAll(/<JB_job_number>(\d+)<\/JB_job_number>/g)].map((m) => m[1]!);
}

/** The Torque wrappers' bin directory (unpacked on first use; idempotent, no daemon started). */
export async function torqueBinDirectory(): Promise<string> {
  const { stdout } = await run('bash', [join(SCRIPTS, 'torque-wrappers.sh')], { timeout: 600_000 });
  return stdout.trim();
}
