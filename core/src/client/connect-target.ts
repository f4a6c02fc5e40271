import { readSchedulerFile } from '../scheduler/scheduler-file.js';

/** Anything a client can connect through. */
export type ConnectTarget =
  | string
  | { address: string; token: string; tlsCa?: string }
  | { schedulerFile: string }
  | { schedulerAddress: string; token: string; tlsCa?: string | null };

/** Where and how to connect: the address, the token, and for wss:// the CA file to trust. */
export interface ResolvedTarget {
  address: string;
  token: string;
  tlsCa?: string;
}

/**
 * Turns a target into an address and a token.
 * - `'ws://host:port?token=…'` (or wss://), or `'ws://host:port'` with the token in `DROVER_TOKEN`;
 * - `{ address, token, tlsCa? }`;
 * - `{ schedulerFile }`: the JSON file a scheduler wrote;
 * - a cluster (anything with `schedulerAddress`, `token` and, with TLS, `tlsCa`).
 */
export async function resolveTarget(target: ConnectTarget): Promise<ResolvedTarget> {
  if (typeof target === 'string') {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new Error(`'${target}' is not a scheduler address; expected ws://host:port?token=…`);
    }
    const token = url.searchParams.get('token') ?? process.env.DROVER_TOKEN;
    if (!token) throw new Error(`no token for ${target}: add ?token=… or set DROVER_TOKEN`);
    url.search = '';
    return { address: url.toString().replace(/\/$/, ''), token };
  }
  if ('schedulerFile' in target) {
    const file = await readSchedulerFile(target.schedulerFile);
    return resolved(file.address, file.token, file.tlsCa);
  }
  if ('schedulerAddress' in target) return resolved(target.schedulerAddress, target.token, target.tlsCa);
  return resolved(target.address, target.token, target.tlsCa);
}

function resolved(address: string, token: string, tlsCa: string | null | undefined): ResolvedTarget {
  return { address, token, ...(tlsCa ? { tlsCa } : {}) };
}
