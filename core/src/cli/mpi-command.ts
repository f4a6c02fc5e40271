import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { interfaceAddress, schedulerHost } from '../jobqueue/network-interface.js';
import { integer, parse, UsageError } from './args.js';
import { MPI_RANK_VARIABLES, mpiRank } from './mpi-rank.js';
import { runScheduler } from './scheduler-command.js';
import { runWorker } from './worker-command.js';

export const mpiHelp = `Usage: mpirun -np N drover mpi --scheduler-file PATH [options]
       srun -n N drover mpi --scheduler-file PATH [options]

A whole cluster inside one MPI launch (dask-mpi's pattern): rank 0 runs the scheduler and writes
the scheduler file; every other rank runs a worker that connects through it. Programs connect
through the same file (Client.connect({ schedulerFile })). Everything stops when the launch ends or
rank 0 is signalled.

Options:
  --scheduler-file PATH   where rank 0 writes the address and token (required; shared file system)
  --interface NAME        network interface to use, e.g. ib0 (default: the host name's address)
  --port N                scheduler port (default 0: any free port)
  --nthreads N            slots per worker (default 1)
  --memory-limit SIZE     per worker, e.g. 4GB (default: none)
  --resources LIST        declared by every worker, e.g. gpus=1
  --pool NAME             workers serve a named pool (repeatable)
  --lifetime DURATION     workers leave after this long (e.g. the allocation's walltime minus 5m)
  --death-timeout DUR     how long workers keep trying to reach the scheduler (default 60 s)
  --local-directory DIR   working directory for tasks
  --tls-cert PATH         certificate (PEM) the scheduler and workers serve with
  --tls-key PATH          its private key
  --tls-ca PATH           the authority that signed it (default: the certificate itself)
  --rank N                this process's rank (default: from ${MPI_RANK_VARIABLES.join(', ')})
  -h, --help              show this help
`;

/** Options handed unchanged to the worker ranks. */
const WORKER_FLAGS = [
  'nthreads',
  'memory-limit',
  'resources',
  'lifetime',
  'death-timeout',
  'local-directory',
  'interface',
  'tls-cert',
  'tls-key',
  'tls-ca',
] as const;

const OPTIONS = {
  'scheduler-file': { type: 'string' },
  interface: { type: 'string' },
  port: { type: 'string' },
  nthreads: { type: 'string' },
  'memory-limit': { type: 'string' },
  resources: { type: 'string' },
  pool: { type: 'string', multiple: true },
  lifetime: { type: 'string' },
  'death-timeout': { type: 'string' },
  'local-directory': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' },
  rank: { type: 'string' },
} as const;

/** `drover mpi`: this rank's part of a cluster started by an MPI launcher. */
export async function runMpi(argv: string[]): Promise<number> {
  const { values } = parse(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(mpiHelp);
    return 0;
  }
  const file = values['scheduler-file'];
  if (!file) throw new UsageError('--scheduler-file is required: it is how the ranks find each other');
  const rank = values.rank !== undefined ? integer(values.rank, '--rank', 0) : mpiRank()?.rank;
  if (rank === undefined) {
    throw new UsageError(
      `no MPI rank in the environment (${MPI_RANK_VARIABLES.join(', ')}): start it with mpirun or srun, or give --rank`,
    );
  }
  if (rank === 0) {
    // A file left by an earlier launch would send the workers to a scheduler that is gone.
    await rm(file, { force: true });
    const host = values.interface
      ? interfaceAddress(values.interface, '--interface')
      : await schedulerHost(undefined);
    const tls = (['tls-cert', 'tls-key', 'tls-ca'] as const).flatMap((flag) =>
      values[flag] ? [`--${flag}`, values[flag]] : [],
    );
    return runScheduler(['--host', host, '--port', values.port ?? '0', '--scheduler-file', file, ...tls]);
  }
  const forwarded = WORKER_FLAGS.flatMap((flag) => (values[flag] ? [`--${flag}`, values[flag]] : []));
  const pools = (values.pool ?? []).flatMap((pool) => ['--pool', pool]);
  const name = `${hostname()}-rank-${rank}`;
  return runWorker(['--scheduler-file', file, '--name', name, ...forwarded, ...pools]);
}
