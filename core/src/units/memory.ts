import { JobQueueConfigError } from './config-error.js';

// Same table as dask's parse_bytes: SI prefixes are powers of 1000, "i" prefixes powers of 1024,
// and a bare letter (16G) is SI, as in dask-jobqueue, so imported configurations keep their meaning.
const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  p: 1e15,
  pb: 1e15,
  ki: 2 ** 10,
  kib: 2 ** 10,
  mi: 2 ** 20,
  mib: 2 ** 20,
  gi: 2 ** 30,
  gib: 2 ** 30,
  ti: 2 ** 40,
  tib: 2 ** 40,
  pi: 2 ** 50,
  pib: 2 ** 50,
};

/**
 * Parses a byte size the way dask does: `16GB` = 16e9, `16GiB` = 2^34, `16G` = 16e9, `1.5 GB`,
 * or a number of bytes.
 *
 * @throws JobQueueConfigError naming `field` when the text is not a size.
 */
export function parseBytes(value: string | number, field = 'memory'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new JobQueueConfigError(field, `${value} is not a size in bytes; use e.g. 16GB or 17179869184`);
    }
    return Math.floor(value);
  }
  if (typeof value !== 'string')
    throw new JobQueueConfigError(
      field,
      `${JSON.stringify(value)} is not a size; use e.g. "16GB" or a number of bytes`,
    );
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new JobQueueConfigError(
      field,
      `"${value}" is not a size; write a number and a unit such as 16GB (10^9 bytes) or 16GiB (2^30 bytes)`,
    );
  }
  return Math.floor(Number(m[1]) * unit);
}

/** SLURM `--mem`: sbatch reads K/M/G/T as binary units; round up so the job gets at least `bytes`. */
export function formatSlurmMemory(bytes: number): string {
  for (const [suffix, size] of [
    ['T', 2 ** 40],
    ['G', 2 ** 30],
    ['M', 2 ** 20],
    ['K', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Math.ceil(bytes / size)}${suffix}`;
  }
  return '1K';
}

/**
 * PBS `mem=` (PBS Pro, Torque): binary units with a `b` suffix; like dask-jobqueue a unit is used from
 * ten of it, so rounding up adds at most 10 %.
 */
export function formatPbsMemory(bytes: number): string {
  for (const [suffix, size] of [
    ['GB', 2 ** 30],
    ['MB', 2 ** 20],
    ['KB', 2 ** 10],
  ] as const) {
    if (bytes >= 10 * size) return `${Math.ceil(bytes / size)}${suffix}`;
  }
  return `${bytes}B`;
}

/** The units LSF's `LSF_UNIT_FOR_LIMITS` can name (KB is LSF's default). */
export type LsfUnit = 'KB' | 'MB' | 'GB' | 'TB' | 'PB' | 'EB';

/**
 * LSF limits (`-M`, `rusage[mem=]`) are integers in `LSF_UNIT_FOR_LIMITS`, rounded up. LSF's units
 * are binary (1 KB = 1024 bytes); dask-jobqueue divides by 1000 and so asks for 2.4 % more per step.
 */
export function formatLsfMemory(bytes: number, unit: LsfUnit): string {
  const power = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'].indexOf(unit) + 1;
  return String(Math.max(1, Math.ceil(bytes / 1024 ** power)));
}

/** Grid Engine memory values (`mem_free=`, `h_vmem=`): integer with a binary K/M/G suffix. */
export function formatSgeMemory(bytes: number): string {
  for (const [suffix, size] of [
    ['G', 2 ** 30],
    ['M', 2 ** 20],
    ['K', 2 ** 10],
  ] as const) {
    if (bytes >= 10 * size) return `${Math.ceil(bytes / size)}${suffix}`;
  }
  return String(bytes);
}
