import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LsfUnit } from '../units/memory.js';

const UNITS: readonly LsfUnit[] = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** Normalises `kb`, `K`, `MB`, `m`, … to an {@link LsfUnit}; undefined when not a unit. */
export function normaliseLsfUnit(text: string): LsfUnit | undefined {
  const letter = text.trim().charAt(0).toUpperCase();
  return UNITS.find((u) => u.startsWith(letter) && letter !== '');
}

/**
 * The unit LSF uses for `-M` and `rusage[mem=]` on this submit host: the last
 * `LSF_UNIT_FOR_LIMITS=` line of `$LSF_ENVDIR/lsf.conf`, `$LSF_CONFDIR/lsf.conf` or `/etc/lsf.conf`
 * (the first file that exists), else `KB`, LSF's own default.
 */
export function detectLsfUnit(env: NodeJS.ProcessEnv = process.env): LsfUnit {
  const candidates = [
    env.LSF_ENVDIR && join(env.LSF_ENVDIR, 'lsf.conf'),
    env.LSF_CONFDIR && join(env.LSF_CONFDIR, 'lsf.conf'),
    '/etc/lsf.conf',
  ].filter((p): p is string => Boolean(p));
  for (const path of candidates) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // not there: try the next place, as LSF's own commands do
    }
    let unit: LsfUnit | undefined;
    for (const line of text.split('\n')) {
      const m = /^\s*LSF_UNIT_FOR_LIMITS\s*=\s*"?([A-Za-z]+)"?\s*(?:#.*)?$/.exec(line);
      if (m) unit = normaliseLsfUnit(m[1]!) ?? unit;
    }
    return unit ?? 'KB';
  }
  return 'KB';
}
