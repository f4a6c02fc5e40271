/** Why a job ended, in terms a person acts on. */
export type EndReason =
  | 'completed'
  | 'walltime'
  | 'cancelled'
  | 'failed'
  | 'out-of-memory'
  | 'node-failure'
  | 'preempted'
  | 'unknown';

/**
 * A batch job's state, the same for every batch system.
 *
 * #### Notes
 * `reason`/`detail` keep the batch system's own words (e.g. SLURM's `Resources`, LSF's
 * `TERM_RUNLIMIT: …`) so a person can search for them.
 */
export type JobState =
  | { readonly state: 'pending'; readonly reason: string; readonly estimatedStart?: Date }
  | { readonly state: 'running'; readonly node: string; readonly startedAt?: Date }
  | { readonly state: 'finished'; readonly exitCode?: number }
  | {
      readonly state: 'failed';
      readonly reason: Exclude<EndReason, 'completed' | 'cancelled'>;
      readonly detail: string;
      readonly exitCode?: number;
    }
  | { readonly state: 'cancelled'; readonly detail?: string };

/** True for states a job never leaves. */
export function isFinal(state: JobState): boolean {
  return state.state === 'finished' || state.state === 'failed' || state.state === 'cancelled';
}

/** The {@link EndReason} of a final state, or undefined while the job lives. */
export function endReasonOf(state: JobState): EndReason | undefined {
  if (state.state === 'finished') return 'completed';
  if (state.state === 'cancelled') return 'cancelled';
  if (state.state === 'failed') return state.reason;
  return undefined;
}
