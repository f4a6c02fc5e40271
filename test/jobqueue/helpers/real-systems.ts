// The real batch systems of the end-to-end suite, behind one small interface: how to start one,
// cancel a job from outside Drover, list a cluster's jobs still queued, and refuse a bad queue.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { JobQueueClusterOptions } from '@drover/core';
import { SCRIPTS } from './batch-systems.js';
import { ensureSlurm, slurmJobsNamed } from './slurm-up.js';

const run = promisify(execFile);

export interface RealSystem {
  kind: 'slurm' | 'sge';
  /** Starts the system unless it is up; the disposer stops it only if this started it. */
  up: () => Promise<() => Promise<void>>;
  /** Cancels a job the way a user would (scancel, qdel). */
  cancel: (jobId: string) => void;
  /** Ids of jobs named `name` still known to the queue. */
  jobsNamed: (name: string) => string[];
  /** Options the cluster needs on this system. */
  options: Partial<JobQueueClusterOptions>;
  /** A queue that does not exist, and what the system says about it. */
  badQueue: { queue: string; message: RegExp; command: RegExp };
}

async function ensureSge(): Promise<() => Promise<void>> {
  let wasUp = true;
  try {
    execFileSync('qconf', ['-sh'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    wasUp = false;
  }
  if (!wasUp) await run('bash', [join(SCRIPTS, 'sge-start.sh')], { timeout: 600_000 });
  return async () => {
    if (!wasUp) await run('bash', [join(SCRIPTS, 'sge-stop.sh'), '--purge'], { timeout: 120_000 });
  };
}

function sgeJobsNamed(name: string): string[] {
  const xml = execFileSync('qstat', ['-xml', '-u', '*'], { encoding: 'utf8' });
  return [
    ...xml.matchAll(
      /<JB_job_number>(\d+)<\/JB_job_number>\s*<JAT_prio>[^<]*<\/JAT_prio>\s*<JB_name>([^<]*)<\/JB_name>/g,
    ),
  ]
    .filter((m) => m[2] === name)
    .map((m) => m[1]!);
}

export const REAL_SYSTEMS: RealSystem[] = [
  {
    kind: 'slurm',
    up: ensureSlurm,
    cancel: (id) => execFileSync('scancel', [id]),
    jobsNamed: slurmJobsNamed,
    options: {},
    badQueue: { queue: 'no-such-partition', message: /invalid partition/i, command: /^sbatch/ },
  },
  {
    kind: 'sge',
    up: ensureSge,
    cancel: (id) => execFileSync('qdel', [id], { stdio: 'ignore' }),
    jobsNamed: sgeJobsNamed,
    options: { commandOptions: { binDirectory: '/usr/bin' } },
    badQueue: { queue: 'nosuch.q', message: /unknown queue "nosuch.q"/, command: /qsub/ },
  },
];
