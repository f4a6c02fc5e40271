import { execFileSync } from 'node:child_process';

/**
 * GPU device ids as the batch system or the driver names them: the entries of
 * `CUDA_VISIBLE_DEVICES` ("0", "3", or a UUID such as "GPU-5c1f…" / "MIG-…"). Kept as text so
 * that a UUID survives; a task sees the ids it was given, and its commands get them in
 * `CUDA_VISIBLE_DEVICES`.
 */
export type GpuId = string;

/** Where a worker's GPU ids came from, for its log and for `drover doctor`. */
export interface GpuAssignment {
  readonly ids: readonly GpuId[];
  /** The variable or command read, e.g. "SLURM_JOB_GPUS" or "nvidia-smi -L". */
  readonly source: string;
}

/**
 * Variables batch systems set in a job for the GPUs they assigned, most specific first:
 * - SLURM sets `CUDA_VISIBLE_DEVICES` for `--gres=gpu:N` and `--gpus=N` (gres.conf, "GPU
 *   management"), and `SLURM_STEP_GPUS` / `SLURM_JOB_GPUS` to the node's device indices;
 * - PBS Pro (`ngpus`, with the cgroups hook) and LSF (`-gpu`, "Environment variables for GPU jobs")
 *   set `CUDA_VISIBLE_DEVICES`;
 * - Grid Engine's RSMAP complexes set `SGE_HGR_<resource>` (e.g. `SGE_HGR_gpu="0 1"`); the resource
 *   name is the one the site configured (`sgeGpuResource`).
 */
export function assignedGpus(env: NodeJS.ProcessEnv, sgeResource = 'gpu'): GpuAssignment | null {
  for (const name of [
    'CUDA_VISIBLE_DEVICES',
    'SLURM_STEP_GPUS',
    'SLURM_JOB_GPUS',
    `SGE_HGR_${sgeResource}`,
  ]) {
    const ids = parseDeviceList(env[name]);
    if (ids !== null) return { ids, source: name };
  }
  return null;
}

/**
 * A device list as the variables hold it: separated by commas or spaces; `NoDevFiles` (SLURM, when
 * gres.conf has no File=) and an empty value mean none was assigned. SGE's RSMAP may prefix the
 * ids with the resource name ("gpu0"), which is dropped when every entry has it.
 */
export function parseDeviceList(value: string | undefined): GpuId[] | null {
  if (value === undefined) return null;
  const ids = value.split(/[\s,]+/).filter((id) => id !== '' && id !== 'NoDevFiles');
  if (ids.length === 0) return null;
  const prefix = /^([A-Za-z]+)\d+$/.exec(ids[0]!)?.[1];
  if (prefix && !/^(GPU|MIG)$/.test(prefix) && ids.every((id) => new RegExp(`^${prefix}\\d+$`).test(id)))
    return ids.map((id) => id.slice(prefix.length));
  return ids;
}

/**
 * The GPUs this machine has, by `nvidia-smi -L` ("GPU 0: NVIDIA A100 (UUID: GPU-…)"), as indices;
 * null when nvidia-smi is not installed or fails (no driver).
 */
export function detectLocalGpus(
  run: () => string = () => execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 10_000 }),
): GpuAssignment | null {
  let out: string;
  try {
    out = run();
  } catch {
    return null;
  }
  const ids = [...out.matchAll(/^GPU (\d+):/gm)].map((m) => m[1]!);
  return { ids, source: 'nvidia-smi -L' };
}

/** Thrown when GPUs cannot be handed out as asked; the message names the setting and the fix. */
export class GpuAssignmentError extends Error {
  override name = 'GpuAssignmentError';
}

/**
 * The device ids of a worker that declares `count` GPUs: the batch system's assignment when there
 * is one, else `nvidia-smi -L` when `detect`, else 0…count−1 (what was declared). Throws when the
 * assignment holds fewer devices than declared.
 */
export function workerGpuIds(
  count: number,
  env: NodeJS.ProcessEnv,
  detect = false,
  sgeResource = 'gpu',
): GpuAssignment {
  const found = assignedGpus(env, sgeResource) ?? (detect ? detectLocalGpus() : null);
  if (found === null) return { ids: Array.from({ length: count }, (_, i) => String(i)), source: 'declared' };
  if (found.ids.length < count) {
    throw new GpuAssignmentError(
      `the worker declares gpus=${count} but ${found.source} gives ${found.ids.length} device(s) ` +
        `(${found.ids.join(',') || 'none'}); request as many GPUs from the batch system as the workers declare`,
    );
  }
  return { ids: found.ids.slice(0, count), source: found.source };
}

/**
 * Splits device ids into `parts` disjoint, equal, contiguous subsets (one per worker process).
 * Throws when they do not divide evenly.
 */
export function splitGpus(ids: readonly GpuId[], parts: number): GpuId[][] {
  if (ids.length % parts !== 0) {
    throw new GpuAssignmentError(
      `${ids.length} GPU(s) (${ids.join(',')}) cannot be split evenly among ${parts} worker processes; ` +
        'make the GPUs a multiple of the processes',
    );
  }
  const each = ids.length / parts;
  return Array.from({ length: parts }, (_, i) => ids.slice(i * each, (i + 1) * each));
}
