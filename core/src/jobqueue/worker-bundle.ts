import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workerBundleOf, type Installation } from '../installation.js';
import { JobQueueConfigError } from './errors.js';
import { shellQuote } from './shell-safety.js';

/**
 * The single-file worker bundle a job runs instead of this installation's files: where the
 * installation has it, where the cluster places it on the shared file system (named by its
 * checksum, so jobs of different Drover versions never run each other's), and that checksum.
 */
export interface WorkerBundle {
  readonly source: string;
  readonly path: string;
  readonly sha256: string;
}

/** The bundle of `installation` as it will be placed in `directory` (read now to checksum it). */
export function workerBundleIn(directory: string, installation: Installation): WorkerBundle {
  const source = workerBundleOf(installation);
  let bytes: Buffer;
  try {
    bytes = readFileSync(source);
  } catch {
    throw new JobQueueConfigError(
      'workerBundle',
      `this installation has no worker bundle at ${source}; build it (npm run build) or leave workerBundle unset`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { source, path: join(directory, `drover-worker-${sha256.slice(0, 16)}.mjs`), sha256 };
}

/**
 * Copies the bundle to its place on the shared file system unless an intact copy is there
 * (written beside it and renamed, so a job never sees half a file).
 */
export async function placeWorkerBundle(bundle: WorkerBundle): Promise<void> {
  try {
    const present = await readFile(bundle.path);
    if (createHash('sha256').update(present).digest('hex') === bundle.sha256) return;
  } catch {
    // not there yet
  }
  await mkdir(join(bundle.path, '..'), { recursive: true });
  const tmp = `${bundle.path}.${process.pid}.tmp`;
  try {
    await copyFile(bundle.source, tmp);
    await rename(tmp, bundle.path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * The job-script line that checks the bundle before the worker starts, with the compute node's own
 * `node` (no other tool needed): a copy that is missing, partial or of another version stops the
 * job with a message that says which file and what was expected.
 */
export function bundleCheckLine(node: string, bundle: WorkerBundle): string {
  const check =
    'const [f,w]=process.argv.slice(1);let h="missing";' +
    'try{h=require("crypto").createHash("sha256").update(require("fs").readFileSync(f)).digest("hex")}catch{}' +
    'if(h!==w){console.error("drover: the worker bundle "+f+" has sha256 "+h+", expected "+w+' +
    '"; it is incomplete or from another Drover version, or the shared file system does not reach this node");process.exit(1)}';
  return `${shellQuote(node)} -e ${shellQuote(check)} ${shellQuote(bundle.path)} ${bundle.sha256} || exit 1`;
}
