/** Environment variables batch systems set to the job id: SLURM, PBS/Torque, LSF, SGE. */
const JOB_ID_VARIABLES = ['SLURM_JOB_ID', 'PBS_JOBID', 'LSB_JOBID', 'JOB_ID'] as const;

/** The batch job this process runs in, or null outside a batch job. */
export function batchJobId(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const name of JOB_ID_VARIABLES) {
    const value = env[name];
    if (value) return value;
  }
  return null;
}
