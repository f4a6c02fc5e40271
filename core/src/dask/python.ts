import { existsSync } from 'node:fs';

/**
 * The Python that runs Dask: Debian's `/usr/bin/python3` where present (it has python3-distributed;
 * the `python3` first on a PATH is often another interpreter without it), else `python3`.
 */
export function defaultPython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}
