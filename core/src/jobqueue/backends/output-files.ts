import type { ResolvedJob } from '../resolved-job.js';

/** A job's stdout and stderr files. */
export interface OutputFiles {
  stdout: string;
  stderr: string;
}

/**
 * The files `<logDirectory>/<job name><suffix>` the job script directs output to, or null when the
 * job has no log directory (the batch system then writes where it likes).
 */
export function outputFilesIn(
  job: ResolvedJob,
  stdoutSuffix: string,
  stderrSuffix: string,
): OutputFiles | null {
  if (job.logDirectory === undefined) return null;
  return {
    stdout: `${job.logDirectory}/${job.name}${stdoutSuffix}`,
    stderr: `${job.logDirectory}/${job.name}${stderrSuffix}`,
  };
}

/** `<name>-<id>.out` and `<name>-<id>.err`, as the SLURM, LSF and SGE templates name them. */
export const outputPathsByJobId = (job: ResolvedJob, id: string): OutputFiles | null =>
  outputFilesIn(job, `-${id}.out`, `-${id}.err`);
