import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { assignedGpus } from '../worker/gpu-devices.js';
import { parse, UsageError } from './args.js';

export const doctorHelp = `Usage: drover doctor [options]

Checks that this node can run Drover workers: the Node version, the shared paths, the worker bundle,
the scheduler's address and the GPUs a batch job was given. Run it on a compute node, inside a job
(--srun does that on SLURM), with the same paths and address the cluster uses. Exits 1 when a
check fails; each failure says what to fix.

Options:
  --scheduler ADDRESS     ws://host:port of the scheduler: must be reachable from here
  --path DIR              a directory on the shared file system: must exist and be writable (repeatable)
  --bundle FILE           the worker bundle the jobs run (drover-worker-<sum>.mjs)
  --sha256 HEX            its expected checksum (default: the one in its name is checked as a prefix)
  --srun                  run these checks inside a one-task SLURM job (srun) and print its report
  -h, --help              show this help
`;

const OPTIONS = {
  scheduler: { type: 'string' },
  path: { type: 'string', multiple: true },
  bundle: { type: 'string' },
  sha256: { type: 'string' },
  srun: { type: 'boolean' },
} as const;

/** The lowest Node major version Drover runs on (package.json "engines"). */
const MIN_NODE_MAJOR = 20;

interface Finding {
  readonly ok: boolean;
  readonly text: string;
}

/** `drover doctor`: prints one line per check; exit 1 when any fails. */
export async function runDoctor(argv: string[]): Promise<number> {
  const { values } = parse(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(doctorHelp);
    return 0;
  }
  if (values.scheduler !== undefined && !/^wss?:\/\/[^/:]+:\d+/.test(values.scheduler))
    throw new UsageError(`--scheduler takes ws://host:port, got '${values.scheduler}'`);
  if (values.srun) return inSlurmJob(argv.filter((a) => a !== '--srun'));
  const findings = [
    nodeVersion(),
    jobContext(),
    ...(await Promise.all((values.path ?? []).map(sharedPath))),
    ...(values.bundle ? [await bundleIntact(values.bundle, values.sha256)] : []),
    ...(values.scheduler ? [await schedulerReachable(values.scheduler)] : []),
  ];
  process.stdout.write(`drover doctor on ${hostname()}\n`);
  for (const f of findings) process.stdout.write(`${f.ok ? '✓' : '✗'} ${f.text}\n`);
  const failed = findings.filter((f) => !f.ok).length;
  process.stdout.write(failed === 0 ? 'all checks passed\n' : `${failed} check(s) failed\n`);
  return failed === 0 ? 0 : 1;
}

function nodeVersion(): Finding {
  const major = Number(process.versions.node.split('.')[0]);
  const text = `node v${process.versions.node} (${process.execPath})`;
  return major >= MIN_NODE_MAJOR
    ? { ok: true, text }
    : {
        ok: false,
        text: `${text}: Drover needs node ≥ ${MIN_NODE_MAJOR}; load a newer one in jobScriptPrologue`,
      };
}

/** Which batch job this is, and the GPUs it was given (what the workers will hand out). */
function jobContext(): Finding {
  const env = process.env;
  const job =
    (env.SLURM_JOB_ID && `SLURM job ${env.SLURM_JOB_ID}`) ||
    (env.PBS_JOBID && `PBS job ${env.PBS_JOBID}`) ||
    (env.LSB_JOBID && `LSF job ${env.LSB_JOBID}`) ||
    (env.JOB_ID && env.SGE_ROOT && `Grid Engine job ${env.JOB_ID}`) ||
    'not inside a batch job';
  const gpus = assignedGpus(env);
  const gpuText = gpus ? `GPUs ${gpus.ids.join(',')} (from ${gpus.source})` : 'no GPUs assigned';
  return { ok: true, text: `${job}; ${gpuText}` };
}

async function sharedPath(dir: string): Promise<Finding> {
  try {
    if (!(await stat(dir)).isDirectory()) return { ok: false, text: `${dir} is not a directory` };
    const probe = join(dir, `.drover-doctor-${hostname()}-${process.pid}`);
    await writeFile(probe, 'ok');
    await rm(probe);
    return { ok: true, text: `${dir} exists and is writable` };
  } catch (error) {
    return {
      ok: false,
      text: `${dir}: ${(error as Error).message}; it must be on a file system this node and the submitting machine share`,
    };
  }
}

async function bundleIntact(file: string, expected: string | undefined): Promise<Finding> {
  let sum: string;
  try {
    sum = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch (error) {
    return { ok: false, text: `worker bundle ${file}: ${(error as Error).message}` };
  }
  const want = expected ?? /drover-worker-([0-9a-f]{8,64})\.mjs$/.exec(file)?.[1];
  if (want === undefined) return { ok: true, text: `worker bundle ${file} readable (sha256 ${sum})` };
  return sum.startsWith(want)
    ? { ok: true, text: `worker bundle ${file} intact (sha256 ${sum})` }
    : {
        ok: false,
        text: `worker bundle ${file} has sha256 ${sum}, expected ${want}: copy it again (the cluster does so when it starts)`,
      };
}

/** A TCP connection to the scheduler's port within 5 s (what a worker's first step needs). */
function schedulerReachable(address: string): Promise<Finding> {
  const url = new URL(address);
  const port = Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 5000 });
    const done = (finding: Finding): void => {
      socket.destroy();
      resolve(finding);
    };
    socket.once('connect', () => done({ ok: true, text: `scheduler ${address} reachable` }));
    socket.once('timeout', () =>
      done({
        ok: false,
        text: `scheduler ${address}: no answer in 5 s (a firewall between this node and it?)`,
      }),
    );
    socket.once('error', (error) =>
      done({
        ok: false,
        text: `scheduler ${address}: ${error.message}; is it running, and listening on an interface this node reaches (the cluster's interface option)?`,
      }),
    );
  });
}

/** Runs the same checks under `srun` (one task, a few minutes) and passes its report through. */
function inSlurmJob(argv: string[]): Promise<number> {
  const script = process.argv[1]!;
  const child = spawn(
    'srun',
    // The compute node's own node (srun passes this PATH), which is what the check is about.
    ['--ntasks=1', '--time=5', '--job-name=drover-doctor', 'node', script, 'doctor', ...argv],
    { stdio: 'inherit' },
  );
  return new Promise((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`drover doctor: could not run srun: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}
