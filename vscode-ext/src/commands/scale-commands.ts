import * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import type { DroverService } from '../manager/drover-service';
import { pickCluster, type ClusterArgument } from './pick-cluster';
import { parseSize, toClusterScale, workersOfJobs, type ScaleUnit } from './scale-target';
import { validate } from './validated-input';

/** A size given to Scale… without asking (from another extension or a test). */
export interface ScaleRequest {
  unit: ScaleUnit;
  /** A count, or for memory a size such as `64GB`. */
  value: number | string;
}

/** Scale… (jobs, workers, cores or memory) and Adapt… (minimum and maximum). */
export function registerScaleCommands(service: DroverService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('drover.scale', async (arg?: ClusterArgument, request?: ScaleRequest) => {
      const cluster = await pickCluster(service, arg);
      if (!cluster) return undefined;
      const client = await service.client();
      let target = request;
      if (!target) {
        const units: ScaleUnit[] = cluster.jobs
          ? ['jobs', 'workers', 'cores', 'memory']
          : ['workers', 'cores', 'memory'];
        const unit = await vscode.window.showQuickPick(
          units.map((u) => ({ label: u, unit: u })),
          { title: `Scale ${cluster.name} by`, placeHolder: 'jobs, workers, cores or memory' },
        );
        if (!unit) return undefined;
        const text = await vscode.window.showInputBox({
          title: `Scale ${cluster.name}`,
          prompt: unit.unit === 'memory' ? 'Total memory, e.g. 64GB' : `Number of ${unit.unit}`,
          ignoreFocusOut: true,
          validateInput: async (t) => {
            const n = sizeFor(cluster, unit.unit, t);
            return typeof n === 'string' ? n : validate(client, { ...cluster.spec, scale: n });
          },
        });
        if (text === undefined) return undefined;
        target = { unit: unit.unit, value: text };
      }
      const n = sizeFor(cluster, target.unit, String(target.value));
      // The manager counts workers; a batch cluster's size is chosen here in whole jobs.
      const workers = typeof n === 'string' ? n : cluster.jobs ? workersOfJobs(cluster, n) : n;
      const problem =
        typeof workers === 'string' ? workers : await validate(client, { ...cluster.spec, scale: workers });
      if (problem !== null || typeof n === 'string' || typeof workers === 'string')
        throw fail(service, `Cannot scale ${cluster.name}: ${problem}`);
      service.output.info(
        `scaling ${cluster.name} to ${n} ${cluster.jobs ? 'jobs' : 'workers'} (${target.value} ${target.unit})`,
      );
      return client.scale(cluster.name, workers);
    }),
    vscode.commands.registerCommand(
      'drover.adapt',
      async (arg?: ClusterArgument, bounds?: { minimum: number; maximum: number } | null) => {
        const cluster = await pickCluster(service, arg);
        if (!cluster) return undefined;
        const client = await service.client();
        let chosen = bounds;
        if (chosen === undefined) {
          const unit = cluster.jobs ? 'jobs' : 'workers';
          const text = await vscode.window.showInputBox({
            title: `Adapt ${cluster.name}`,
            prompt: `Minimum and maximum ${unit}, e.g. "0 10"; empty stops adapting`,
            value: cluster.adaptive ? `${cluster.adaptive.minimum} ${cluster.adaptive.maximum}` : '',
            ignoreFocusOut: true,
            validateInput: async (t) => {
              const b = readBounds(t);
              return typeof b === 'string' ? b : validate(client, { ...cluster.spec, adapt: b });
            },
          });
          if (text === undefined) return undefined;
          const b = readBounds(text);
          if (typeof b === 'string') throw fail(service, b);
          chosen = b;
        }
        const problem = await validate(client, { ...cluster.spec, adapt: chosen });
        if (problem) throw fail(service, `Cannot adapt ${cluster.name}: ${problem}`);
        return client.adapt(cluster.name, chosen);
      },
    ),
  ];
}

/** The cluster-unit size for a typed value, or why it cannot be one (naming the field). */
function sizeFor(cluster: ClusterModel, unit: ScaleUnit, text: string): number | string {
  const amount = unit === 'memory' ? parseSize(text) : /^\s*\d+\s*$/.test(text) ? Number(text) : null;
  if (amount === null)
    return unit === 'memory'
      ? 'scale: give a size such as 64GB or 512MiB'
      : `scale: give a whole number of ${unit}`;
  return toClusterScale(cluster, unit, amount);
}

/** "0 10" or "0-10" → bounds; empty → null (stop adapting); else why not. */
function readBounds(text: string): { minimum: number; maximum: number } | null | string {
  if (text.trim() === '') return null;
  const m = /^\s*(\d+)\s*(?:[-–,\s]|to)\s*(\d+)\s*$/.exec(text);
  if (!m) return 'adapt: give the minimum and the maximum, e.g. "0 10"';
  return { minimum: Number(m[1]), maximum: Number(m[2]) };
}

function fail(service: DroverService, message: string): Error {
  service.output.error(message);
  void vscode.window.showErrorMessage(message);
  return new Error(message);
}
