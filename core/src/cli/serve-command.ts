import { spawn } from 'node:child_process';
import { ApiServer } from '../manager/server/api-server.js';
import { delimiter, resolve } from 'node:path';
import { ClusterManager, DEFAULT_MAX_CLUSTERS } from '../manager/cluster-manager.js';
import { TEMPLATE_ROOTS_VARIABLE } from '../manager/spec/template-roots.js';
import { createLogger } from '../logger.js';
import { managerFileDirectory, removeManagerFile, writeManagerFile } from '../manager/manager-file.js';
import { integer, parse, UsageError } from './args.js';

const log = createLogger('serve');
/** SIGTERM must end the process within 5 s (a parent SIGKILLs after that); leave a margin. */
const SHUTDOWN_LIMIT_MS = 4000;

export const serveHelp = `Usage: drover serve [options]

Runs the cluster manager: an HTTP + WebSocket API and the dashboard, on one port, for this user.
Prints the dashboard URL with its token. Ctrl-C or SIGTERM shuts down every cluster it started.

Options:
  --host HOST               interface to bind (default 127.0.0.1; only this machine can connect)
  --port N                  port (default 8787; 0 picks a free one, printed on start)
  --cors-origin ORIGIN      let web pages from ORIGIN call the API (repeatable; default none)
  --open                    open the dashboard in a browser
  --exit-with-stdin         exit (closing the clusters) when standard input closes, so a parent
                            process that dies takes this one with it
  --state-dir DIR           cluster records and leftover jobs (default $XDG_STATE_HOME/drover)
  --profiles FILE           saved profiles (default $XDG_CONFIG_HOME/drover/profiles.yaml)
  --no-restore              do not start again the clusters of a manager that died
  --max-clusters N          clusters run at once (default 16); more are refused
  --template-root DIR       a directory whose job-script templates specs may use (repeatable;
                            Drover's own and $XDG_CONFIG_HOME/drover/templates always are)
  -h, --help                show this help

Notebook kernels find this manager through a private file (0600) it writes and removes at exit:
  ${managerFileDirectory()}/serve-<pid>.json = { url, token, pid, started }
  ($XDG_RUNTIME_DIR/drover, else $XDG_STATE_HOME/drover/run, else ~/.local/state/drover/run)

Environment:
  DROVER_TOKEN              the token to require (default: a new random one per start)
  DROVER_EXIT_ON_STDIN_EOF  "1" acts as --exit-with-stdin
`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  open: { type: 'boolean' },
  'exit-with-stdin': { type: 'boolean' },
  'state-dir': { type: 'string' },
  profiles: { type: 'string' },
  'no-restore': { type: 'boolean' },
  'max-clusters': { type: 'string' },
  'template-root': { type: 'string', multiple: true },
} as const;

/** `drover serve`: the manager and its API until SIGINT, SIGTERM or (if asked) stdin EOF. */
export async function runServe(argv: string[]): Promise<number> {
  const { values } = parse(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(serveHelp);
    return 0;
  }
  const origins = values['cors-origin'] ?? [];
  for (const origin of origins)
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      throw new UsageError(`--cors-origin takes an origin such as http://localhost:8888, got '${origin}'`);
  const maxClusters = integer(values['max-clusters'], '--max-clusters', DEFAULT_MAX_CLUSTERS, 1);
  const roots = values['template-root'] ?? [];
  if (roots.length > 0)
    process.env[TEMPLATE_ROOTS_VARIABLE] = [process.env[TEMPLATE_ROOTS_VARIABLE], ...roots]
      .filter((r) => r)
      .map((r) => resolve(r!))
      .join(delimiter);
  const manager = await ClusterManager.open({
    maxClusters,
    ...(values['state-dir'] ? { stateDirectory: values['state-dir'] } : {}),
    ...(values.profiles ? { profilesPath: values.profiles } : {}),
    restore: !values['no-restore'],
  });
  let server: ApiServer;
  try {
    server = await ApiServer.start({
      manager,
      host: values.host ?? '127.0.0.1',
      port: integer(values.port, '--port', 8787),
      token: process.env.DROVER_TOKEN ?? '',
      corsOrigins: origins,
    });
  } catch (error) {
    await manager.closeAll();
    throw error;
  }
  process.stdout.write(
    `Drover dashboard: ${server.dashboardUrl}\nAPI: ${server.url}/api (port ${server.port}, pid ${process.pid})\nPress Ctrl-C to stop.\n`,
  );
  if (values.open) openBrowser(server.dashboardUrl);
  // Listening first: a signal that comes while the file is written still ends in its removal.
  const stopped = stopSignal(values['exit-with-stdin'] || process.env.DROVER_EXIT_ON_STDIN_EOF === '1');
  // Notebook kernels of this user find the manager through this private file; it goes at any exit.
  const managerFile = await writeManagerFile({ url: server.url, token: server.token });
  const removeFile = (): void => removeManagerFile(managerFile);
  process.once('exit', removeFile);
  const reason = await stopped;
  log.info(`stopping (${reason})`);
  removeFile();
  // The clusters must go whatever happens; if they hang, the limit still ends the process in time.
  const limit = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_LIMIT_MS).unref());
  await Promise.race([Promise.all([server.close(), manager.closeAll()]), limit]);
  return 0;
}

/** Resolves on SIGINT, SIGTERM, or (when asked) the end of standard input. */
function stopSignal(withStdin: boolean): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    if (withStdin) {
      process.stdin.on('end', () => resolve('stdin closed'));
      process.stdin.on('error', () => resolve('stdin closed'));
      process.stdin.resume();
    }
  });
}

/** Opens a URL with the desktop's opener; a failure only logs (the URL is printed anyway). */
function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', (e) => log.warn(`could not open a browser (${command}): ${e.message}`));
  child.unref();
}
