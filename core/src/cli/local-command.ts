import { LocalCluster } from '../cluster/local-cluster.js';
import { defaultInstallation } from '../installation.js';
import { createCluster } from '../manager/cluster-factory.js';
import { ProfileStore } from '../manager/profile-store.js';
import { checkClusterSpec } from '../manager/spec/validate-spec.js';
import { integer, parse, resources, UsageError } from './args.js';
import { waitForSignal } from './signals.js';
import { engineOption } from './engine-option.js';
import { runDaskLocal } from './dask-commands.js';
import { serverTlsFiles } from './tls-options.js';

export const localHelp = `Usage: drover local [options]

Starts a local cluster (a scheduler and worker processes on this machine) in the foreground and
prints how to connect to it. Ctrl-C stops it and its workers. With --profile, starts a saved profile
instead (local, or a batch system's: then the workers run in batch jobs, submitted from here).

Options:
  --profile NAME            start the cluster saved as NAME (the dashboard's saved profiles)
  --profiles-file PATH      where profiles are saved (default ~/.config/drover/profiles.yaml)
  --workers N               worker processes (default: number of CPUs)
  --threads-per-worker N    slots per worker (default 1)
  --memory-limit SIZE       per worker, e.g. 4GB
  --resources LIST          resources each worker declares, e.g. gpus=1
  --host HOST               scheduler interface (default 127.0.0.1)
  --port N                  scheduler port (default 0: any free port)
  --scheduler-file PATH     write address and token there (mode 0600)
  --tls-cert PATH           serve wss:// with this certificate (PEM), scheduler and workers alike
  --tls-key PATH            its private key
  --tls-ca PATH             the authority that signed it (default: the certificate itself)
  --engine drover|dask      drover (default; TypeScript clients) or dask (Debian's python3-distributed
                            scheduler and workers; Python clients, Dask's scheduler file)
  --python PATH             with --engine dask: the interpreter (default /usr/bin/python3)
  -h, --help                show this help
`;

const OPTIONS = {
  profile: { type: 'string' },
  'profiles-file': { type: 'string' },
  engine: { type: 'string' },
  python: { type: 'string' },
  workers: { type: 'string' },
  'threads-per-worker': { type: 'string' },
  'memory-limit': { type: 'string' },
  resources: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'scheduler-file': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' },
} as const;

/** `drover local`: a LocalCluster in the foreground until SIGINT or SIGTERM. */
export async function runLocal(argv: string[]): Promise<number> {
  const { values } = parse(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(localHelp);
    return 0;
  }
  if (values.profile !== undefined) return runProfile(values.profile, values['profiles-file']);
  if (values['profiles-file'] !== undefined) throw new UsageError('--profiles-file goes with --profile NAME');
  if (engineOption(values.engine, values.python) === 'dask') return runDaskLocal(values);
  const cluster = await LocalCluster.start({
    workers: values.workers === undefined ? undefined : integer(values.workers, '--workers', 0),
    threadsPerWorker: integer(values['threads-per-worker'], '--threads-per-worker', 1, 1),
    memoryLimit: values['memory-limit'] ?? null,
    resources: resources(values.resources),
    scheduler: {
      host: values.host,
      port: integer(values.port, '--port', 0),
      schedulerFile: values['scheduler-file'],
      tls: serverTlsFiles(values),
    },
  });
  const address = `${cluster.schedulerAddress}?token=${cluster.token}`;
  const trust = cluster.tlsCa ? `, { tlsCa: '${cluster.tlsCa}' }` : '';
  process.stdout.write(
    [
      `Local cluster with ${cluster.scheduler.workers.size} workers at ${cluster.schedulerAddress}`,
      `Status:  ${cluster.scheduler.httpUrl}/status?token=${cluster.token}`,
      `Connect: const client = await Client.connect('${address}'${trust});`,
      values['scheduler-file']
        ? `     or: Client.connect({ schedulerFile: '${values['scheduler-file']}' })`
        : '',
      `Workers: drover worker ${cluster.schedulerAddress} --token-file <file with the token>` +
        (cluster.tlsCa ? ' --tls-cert <cert> --tls-key <key> --tls-ca <ca>' : ''),
      'Press Ctrl-C to stop.',
      '',
    ]
      .filter((line) => line !== '')
      .join('\n') + '\n',
  );
  await waitForSignal();
  await cluster.close();
  return 0;
}

/**
 * `drover local --profile NAME`: the saved profile's cluster in the foreground, started as the
 * dashboard starts it (its scale and adaptive bounds included), until SIGINT or SIGTERM.
 */
async function runProfile(name: string, path: string | undefined): Promise<number> {
  const store = new ProfileStore(path);
  let profile;
  try {
    profile = await store.get(name);
  } catch {
    const saved = (await store.list()).map((p) => p.name);
    throw new UsageError(
      `no profile '${name}' in ${store.path}` + (saved.length > 0 ? `; saved: ${saved.join(', ')}` : ''),
    );
  }
  const installation = defaultInstallation();
  const cluster = await createCluster(checkClusterSpec(profile.spec, installation), name, installation);
  const status = cluster.status();
  process.stdout.write(
    `${profile.spec.kind} cluster '${name}' (profile) at ${cluster.schedulerAddress}, ` +
      `${status.workersRequested} workers requested\n` +
      `Connect: const client = await Client.connect('${cluster.schedulerAddress}?token=${cluster.token}');\n` +
      'Press Ctrl-C to stop (its workers and jobs stop with it).\n',
  );
  await waitForSignal();
  await cluster.close();
  return 0;
}
