import { lookup } from 'node:dns/promises';
import { hostname, networkInterfaces } from 'node:os';
import { JobQueueConfigError } from './errors.js';

/** The IPv4 address of network interface `name` (e.g. `ib0`), for `interface`. */
export function interfaceAddress(name: string, field = 'interface'): string {
  const addresses = networkInterfaces()[name];
  const ipv4 = addresses?.find((a) => a.family === 'IPv4');
  if (!ipv4) {
    const known = Object.keys(networkInterfaces()).join(', ');
    throw new JobQueueConfigError(field, `no IPv4 address on interface '${name}' (this host has: ${known})`);
  }
  return ipv4.address;
}

/**
 * Where a job-queue cluster's scheduler listens: the given interface, else the address this host's
 * name resolves to, the one other nodes of a cluster use to reach it (dask-jobqueue does the same).
 */
export async function schedulerHost(interfaceName: string | undefined): Promise<string> {
  if (interfaceName) return interfaceAddress(interfaceName);
  try {
    return (await lookup(hostname(), { family: 4 })).address;
  } catch {
    return '127.0.0.1';
  }
}
