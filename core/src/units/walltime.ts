import { JobQueueConfigError } from './config-error.js';

/**
 * Parses a walltime into seconds.
 *
 * Accepted: `HH:MM:SS`, `MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS` (SLURM's forms), a bare number of
 * minutes (`90` or `"90"`, as sbatch reads it).
 *
 * #### Notes
 * Two fields mean `MM:SS` everywhere except with `hoursMinutes` (LSF), where `01:30` is LSF's own
 * `[HH:]MM` and means 1 h 30 min; that is what an LSF user, or a dask `jobqueue.lsf` config, means.
 */
export function parseWalltime(value: string | number, field = 'walltime', hoursMinutes = false): number {
  const bad = (why: string): never => {
    throw new JobQueueConfigError(
      field,
      `"${String(value)}" ${why}; write HH:MM:SS (e.g. 01:30:00), D-HH:MM:SS (e.g. 2-00:00:00) or minutes (e.g. 90)`,
    );
  };
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) bad('is not a positive number of minutes');
    return Math.round(value * 60);
  }
  if (typeof value !== 'string') return bad('is not a text or a number');
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const minutes = Number(text);
    if (minutes <= 0) bad('is not a positive duration');
    return minutes * 60;
  }
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text);
  if (!m) return bad('is not a duration');
  const [, days, a, b, c] = m;
  let seconds: number;
  if (days !== undefined) {
    // D-HH, D-HH:MM, D-HH:MM:SS
    seconds = Number(days) * 86400 + Number(a) * 3600 + Number(b ?? 0) * 60 + Number(c ?? 0);
    if (Number(b ?? 0) > 59 || Number(c ?? 0) > 59) bad('has minutes or seconds above 59');
  } else if (c !== undefined) {
    seconds = Number(a) * 3600 + Number(b) * 60 + Number(c);
    if (Number(b) > 59 || Number(c) > 59) bad('has minutes or seconds above 59');
  } else if (b !== undefined) {
    if (Number(b) > 59) bad(hoursMinutes ? 'has minutes above 59' : 'has seconds above 59');
    seconds = hoursMinutes ? Number(a) * 3600 + Number(b) * 60 : Number(a) * 60 + Number(b);
  } else {
    return bad('is not a duration');
  }
  if (seconds <= 0) bad('is not a positive duration');
  return seconds;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `HH:MM:SS` with hours allowed past 24: PBS `walltime=`, SGE `h_rt=`. */
export function formatHms(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${pad(h)}:${pad(m)}:${pad(seconds % 60)}`;
}

/** SLURM `--time`: `D-HH:MM:SS` from one day on, else `HH:MM:SS`. */
export function formatSlurmWalltime(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  return days > 0 ? `${days}-${formatHms(seconds % 86400)}` : formatHms(seconds);
}

/**
 * LSF `-W [HH:]MM`: minutes rounded up, never seconds (`-W 01:30:00` is refused by bsub,
 * dask-jobqueue #703).
 */
export function formatLsfWalltime(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
