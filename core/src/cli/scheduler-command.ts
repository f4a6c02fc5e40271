import { Scheduler } from '../scheduler/scheduler.js';
import { integer, parse, seconds } from './args.js';
import { serverTlsFiles } from './tls-options.js';
import { waitForSignal } from './signals.js';
import { engineOption } from './engine-option.js';
import { runDaskScheduler } from './dask-commands.js';

export const schedulerHelp = `Usage: drover scheduler [options]

Starts a scheduler in the foreground. Workers and clients connect to the printed address with its
token, or through the scheduler file.

Options:
  --host HOST               interface to bind (default 127.0.0.1; 0.0.0.0 for all)
  --port N                  port for WebSocket and HTTP (default 0: any free port)
  --scheduler-file PATH     write address and token there (mode 0600)
  --token TOKEN             use this token (default: $DROVER_TOKEN or a random one)
  --heartbeat-timeout DUR   remove a worker silent this long (default 30 s)
  --tls-cert PATH           serve wss:// and https:// with this certificate (PEM)
  --tls-key PATH            its private key
  --tls-ca PATH             the authority that signed it, written to the scheduler file for clients
                            and workers (default: the certificate itself, when it signs itself)
  --engine drover|dask      drover (default; TypeScript clients) or dask (Debian's python3-distributed
                            scheduler; Python clients, Dask's scheduler file)
  --python PATH             with --engine dask: the interpreter (default /usr/bin/python3)
  -h, --help                show this help
`;

const OPTIONS = {
  engine: { type: 'string' },
  python: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'scheduler-file': { type: 'string' },
  token: { type: 'string' },
  'heartbeat-timeout': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' },
} as const;

/** `drover scheduler`: runs until SIGINT or SIGTERM. */
export async function runScheduler(argv: string[]): Promise<number> {
  const { values } = parse(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(schedulerHelp);
    return 0;
  }
  if (engineOption(values.engine, values.python) === 'dask') return runDaskScheduler(values);
  const scheduler = await Scheduler.start({
    tls: serverTlsFiles(values),
    host: values.host,
    port: integer(values.port, '--port', 0),
    schedulerFile: values['scheduler-file'],
    token: values.token ?? process.env.DROVER_TOKEN,
    heartbeatTimeoutMs: seconds(values['heartbeat-timeout'], '--heartbeat-timeout') ?? undefined,
  });
  process.stdout.write(`Scheduler at ${scheduler.address}\n`);
  process.stdout.write(`Status: ${scheduler.httpUrl}/status?token=${scheduler.token}\n`);
  if (values['scheduler-file']) process.stdout.write(`Scheduler file: ${values['scheduler-file']}\n`);
  else process.stdout.write(`Connect: Client.connect('${scheduler.address}?token=${scheduler.token}')\n`);
  await waitForSignal();
  await scheduler.close();
  return 0;
}
