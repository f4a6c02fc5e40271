/**
 * Variables MPI launchers set to each process's rank, most specific first: under `mpirun` inside a
 * SLURM allocation, SLURM_PROCID describes mpirun's own step, not the rank.
 */
const RANK_VARIABLES = [
  'OMPI_COMM_WORLD_RANK', // Open MPI
  'PMI_RANK', // MPICH, Intel MPI (Hydra)
  'PMIX_RANK', // PMIx launchers
  'MV2_COMM_WORLD_RANK', // MVAPICH
  'SLURM_PROCID', // srun
] as const;

/** This process's rank from the launcher's environment, or null when no launcher set one. */
export function mpiRank(env: NodeJS.ProcessEnv = process.env): { rank: number; from: string } | null {
  for (const name of RANK_VARIABLES) {
    const value = env[name];
    if (value !== undefined && /^\d+$/.test(value)) return { rank: Number(value), from: name };
  }
  return null;
}

/** The variables {@link mpiRank} reads, for error messages. */
export const MPI_RANK_VARIABLES: readonly string[] = RANK_VARIABLES;
