import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SCRIPTS } from './batch-systems.js';

const run = promisify(execFile);

/** Starts the local SLURM unless it is up; returns a disposer that stops it only if this call started it. */
export async function ensureSlurm(): Promise<() => Promise<void>> {
  let wasUp = true;
  try {
    execFileSync('scontrol', ['ping'], { stdio: 'ignore', timeout: 10_000 });
    execFileSync('sinfo', ['-h'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    wasUp = false;
  }
  if (!wasUp) {
    await run('bash', [join(SCRIPTS, 'slurm-start.sh')], {
      env: { ...process.env, SLURM_LOCAL_CPUS: '8' },
      timeout: 600_000,
    });
  }
  return async () => {
    if (!wasUp) await run('bash', [join(SCRIPTS, 'slurm-stop.sh'), '--purge'], { timeout: 120_000 });
  };
}

/** Job ids SLURM still has for jobs named `name` (any state but finished). */
export function slurmJobsNamed(name: string): string[] {
  return execFileSync('squeue', ['--noheader', '--name', name, '--format=%i'], { encoding: 'utf8' })
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}
