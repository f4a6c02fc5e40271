#!/usr/bin/env node
import { UsageError } from './args.js';
import { doctorHelp, runDoctor } from './doctor-command.js';
import { importJobqueueHelp, runImportJobqueue } from './import-jobqueue-command.js';
import { localHelp, runLocal } from './local-command.js';
import { mpiHelp, runMpi } from './mpi-command.js';
import { runScheduler, schedulerHelp } from './scheduler-command.js';
import { runServe, serveHelp } from './serve-command.js';
import { runWorker, workerHelp } from './worker-command.js';

const help = `Usage: drover <command> [options]

Commands:
  local       a scheduler and workers on this machine, in the foreground
  scheduler   a scheduler only; workers and clients connect to it
  worker      a worker that joins a scheduler
  mpi         under mpirun or srun: rank 0 the scheduler, every other rank a worker
  serve       the cluster manager: HTTP + WebSocket API and the dashboard
  doctor      check that this (compute) node can run workers: node, shared paths, scheduler, GPUs
  import-jobqueue  cluster specs (and profiles) from dask-jobqueue's jobqueue.yaml

Run 'drover <command> --help' for its options.
`;

const commands: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  local: { run: runLocal, help: localHelp },
  scheduler: { run: runScheduler, help: schedulerHelp },
  worker: { run: runWorker, help: workerHelp },
  mpi: { run: runMpi, help: mpiHelp },
  serve: { run: runServe, help: serveHelp },
  doctor: { run: runDoctor, help: doctorHelp },
  'import-jobqueue': { run: runImportJobqueue, help: importJobqueueHelp },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help);
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`drover: unknown command '${name}'\n\n${help}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`drover ${name}: ${error.message}\n\n${command.help}`);
      return 2;
    }
    process.stderr.write(`drover ${name}: ${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
