import type { ClusterModel, JobModel } from '@drover/core/ui';

/** Seconds of a walltime as the job queues write it: `HH:MM:SS`, `D-HH:MM:SS`, `MM:SS`, or minutes. */
export function walltimeSeconds(value: unknown): number | null {
  if (typeof value === 'number') return value * 60;
  if (typeof value !== 'string') return null;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(value.trim());
  if (!m) return null;
  const [, days, a, b, c] = m;
  const parts = [a, b, c].filter((x) => x !== undefined).map(Number);
  const [h, min, s] =
    parts.length === 3 ? parts : parts.length === 2 ? [0, parts[0]!, parts[1]!] : [0, parts[0]!, 0];
  return Number(days ?? 0) * 86400 + h! * 3600 + min! * 60 + s!;
}

/** `1:05:09` style, or `12:03` under an hour. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh > 0 ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** `14:02`: a time of day in the local zone. */
export function timeOfDay(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** A job's line in the tree: state, pending reason and estimated start, or walltime left. */
export function jobDescription(job: JobModel, cluster: ClusterModel | undefined, now = Date.now()): string {
  if (job.state === 'pending') {
    const reason = job.reason ? `: ${job.reason}` : '';
    return `pending${reason}${job.estimatedStart ? `, est. start ${timeOfDay(job.estimatedStart)}` : ''}`;
  }
  if (job.state === 'running') {
    const walltime = walltimeSeconds(cluster?.spec.options?.walltime);
    if (walltime === null || !job.startedAt) return 'running';
    return `running, ${clock(walltime - (now - Date.parse(job.startedAt)) / 1000)} walltime left`;
  }
  return job.reason ? `${job.state}: ${job.reason}` : job.state;
}

/** "2 jobs pending: Resources, est. start 14:02" for the pending-jobs notification. */
export function pendingSummary(reasons: { reason: string; estimatedStart?: string }[]): string {
  const distinct = [...new Set(reasons.map((r) => r.reason).filter(Boolean))].join(', ');
  const starts = reasons
    .map((r) => r.estimatedStart)
    .filter((s): s is string => !!s)
    .sort();
  const n = reasons.length;
  return `${n} job${n === 1 ? '' : 's'} pending${distinct ? `: ${distinct}` : ''}${starts[0] ? `, est. start ${timeOfDay(starts[0])}` : ''}`;
}
