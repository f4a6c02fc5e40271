import * as vscode from 'vscode';
import type { ClusterModel, ClusterSpec } from '@drover/core/ui';
import { describeError } from '../manager/errors';
import { readSettings } from '../settings/settings';
import { NewClusterPanel } from '../webview/new-cluster-panel';
import { TaskStreamPanel } from '../webview/task-stream-panel';
import type { CommandContext } from './command-context';
import { pickCluster, type ClusterArgument } from './pick-cluster';
import { askValidated } from './validated-input';

/** New Cluster…, Start Cluster from Profile…, Stop Cluster, Show Task Stream. */
export function registerClusterCommands(c: CommandContext): vscode.Disposable[] {
  const { service } = c;
  return [
    vscode.commands.registerCommand('drover.newCluster', async (spec?: ClusterSpec) => {
      await service.client();
      return NewClusterPanel.show(c.extension, service, c.started, spec ?? readSettings().newClusterDefaults);
    }),
    vscode.commands.registerCommand(
      'drover.startFromProfile',
      async (profile?: string, name?: string): Promise<ClusterModel | undefined> => {
        const client = await service.client();
        const profiles = await client.profiles();
        const defaults = {
          label: 'Defaults from settings',
          description: 'drover.newClusterDefaults',
          spec: readSettings().newClusterDefaults,
        };
        const items = [
          ...profiles.map((p) => ({ label: p.name, description: p.spec.kind, spec: p.spec })),
          defaults,
        ];
        const chosen =
          profile !== undefined
            ? items.find((i) => i.label === profile)
            : await vscode.window.showQuickPick(items, { title: 'Start Drover cluster from profile' });
        if (!chosen) {
          if (profile !== undefined)
            throw new Error(
              `no profile named ${profile}; saved profiles: ${profiles.map((p) => p.name).join(', ') || 'none'}`,
            );
          return undefined;
        }
        const clusterName =
          name ??
          (await askValidated(client, {
            title: `Start from ${chosen.label}`,
            prompt: 'Cluster name (empty for <kind>-<n>)',
            value: chosen.spec.name ?? '',
            toSpec: (text) => ({ ...chosen.spec, ...(text ? { name: text } : { name: undefined }) }),
          }));
        if (clusterName === undefined) return undefined;
        const spec = { ...chosen.spec, ...(clusterName ? { name: clusterName } : {}) };
        if (!clusterName) delete spec.name;
        return start(c, spec);
      },
    ),
    vscode.commands.registerCommand('drover.stopCluster', async (arg?: ClusterArgument, confirm = true) => {
      const cluster = await pickCluster(service, arg);
      if (!cluster) return false;
      if (confirm && typeof arg !== 'string') {
        const answer = await vscode.window.showWarningMessage(
          `Stop cluster ${cluster.name}? Its workers stop${cluster.jobs ? ' and its jobs are cancelled' : ''}.`,
          { modal: true },
          'Stop',
        );
        if (answer !== 'Stop') return false;
      }
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Stopping ${cluster.name}…` },
        async () => (await service.client()).close(cluster.name),
      );
      service.output.info(`stopped ${cluster.name}`);
      return true;
    }),
    vscode.commands.registerCommand('drover.showTaskStream', async (arg?: ClusterArgument) => {
      const cluster = await pickCluster(service, arg);
      return cluster ? TaskStreamPanel.show(c.extension, service, cluster.name) : undefined;
    }),
  ];
}

/** Starts a cluster with a progress notification; errors name the field the manager refused. */
export async function start(c: CommandContext, spec: ClusterSpec): Promise<ClusterModel | undefined> {
  try {
    const cluster = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Starting ${spec.name ?? `a ${spec.kind} cluster`}…`,
      },
      async () => (await c.service.client()).create(spec),
    );
    c.started(cluster);
    return cluster;
  } catch (error) {
    const message = `Drover could not start the cluster: ${describeError(error)}`;
    c.service.output.error(message);
    void vscode.window.showErrorMessage(message);
    throw error;
  }
}
