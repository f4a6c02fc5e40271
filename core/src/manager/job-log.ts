import { readFile } from 'node:fs/promises';
import { ManagerError } from './errors.js';
import type { ManagedCluster } from './managed-cluster.js';

/** Which log of a job, and how much of it. */
export interface JobLogRequest {
  /** `stdout` (default) or `stderr`. */
  stream?: string | null;
  /** Only the last N lines; 0 or absent for all. */
  tail?: number;
}

/**
 * The text of a batch job's stdout or stderr file.
 *
 * @throws ManagerError `no-jobs` for a local cluster, `not-found` for an unknown job, `no-log` when
 * the file is not known or not readable yet, `invalid-parameter` for a stream other than
 * stdout/stderr.
 */
export async function readJobLog(
  managed: ManagedCluster,
  jobId: string,
  request: JobLogRequest = {},
): Promise<string> {
  const jobs = managed.jobModels();
  if (jobs === null)
    throw new ManagerError(
      404,
      'no-jobs',
      `${managed.name} is a local cluster; it has no batch jobs or job logs`,
    );
  const job = jobs.find((j) => j.jobId === jobId);
  if (!job) throw new ManagerError(404, 'not-found', `cluster ${managed.name} has no job ${jobId}`);
  const stream = request.stream ?? 'stdout';
  if (stream !== 'stdout' && stream !== 'stderr')
    throw new ManagerError(400, 'invalid-parameter', 'stream must be stdout or stderr', 'stream');
  const path = stream === 'stdout' ? job.stdoutPath : job.stderrPath;
  if (!path)
    throw new ManagerError(
      404,
      'no-log',
      `job ${job.jobId} writes its ${stream} where the batch system puts it by default; set logDirectory to have Drover find it`,
    );
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ManagerError(404, 'no-log', `cannot read ${path} yet: ${(e as Error).message}`);
  }
  const tail = request.tail ?? 0;
  return tail > 0 ? text.split('\n').slice(-tail).join('\n') : text;
}
