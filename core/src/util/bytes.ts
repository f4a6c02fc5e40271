const UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Parses a byte size: a number of bytes, or text such as `4GB`, `512 MiB`, `1.5g` (decimal units
 * for kB/MB/GB as dask does, binary for KiB/MiB/GiB). Throws naming `field` when it cannot.
 */
export function parseBytes(value: number | string, field = 'memory'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.floor(value);
  } else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
    const factor = match ? UNITS[(match[2] || 'b').toLowerCase()] : undefined;
    if (match && factor !== undefined) return Math.floor(Number(match[1]) * factor);
  }
  throw new Error(`${field}: '${String(value)}' is not a size; write bytes or e.g. '4GB', '512MiB'`);
}

/** Formats bytes for people: `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
