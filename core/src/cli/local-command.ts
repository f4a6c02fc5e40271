import { LocalCluster } from '../cluster/local-cluster.js';
import { integer, parse, resources } from './args.js';
import { waitForSignal } from './signals.js';
import { serverTlsFiles } from './tls-options.js';

export const localHelp = `Usage: drover local [options]

Starts a local cluster (a scheduler and worker processes on this machine) in the foreground and
prints how to connect to it. Ctrl-C stops it and its workers.

Options:
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
  -h, --help                show this help
`;

const OPTIONS = {
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
