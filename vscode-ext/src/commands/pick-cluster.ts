import * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import type { DroverService } from '../manager/drover-service';
import type { DroverNode } from '../tree/cluster-tree';

/** What a command on a cluster may be given: a tree row, a cluster name, or nothing (ask). */
export type ClusterArgument = DroverNode | string | undefined;

/**
 * The cluster a command acts on: the tree row's or the named one; else the only one; else a quick
 * pick with the active cluster first. Becomes the active cluster. Undefined when dismissed.
 */
export async function pickCluster(
  service: DroverService,
  arg: ClusterArgument,
): Promise<ClusterModel | undefined> {
  await service.client();
  const store = service.store;
  const name = typeof arg === 'string' ? arg : arg?.type === 'cluster' ? arg.name : arg?.cluster;
  if (name !== undefined) {
    const model = store.get(name) ?? (await (await service.client()).cluster(name));
    store.active = model.name;
    return model;
  }
  const all = store.all();
  if (all.length === 0) {
    void vscode.window.showInformationMessage(
      'No Drover cluster runs yet: start one with "Drover: New Cluster…".',
    );
    return undefined;
  }
  if (all.length === 1) {
    store.active = all[0]!.name;
    return all[0];
  }
  const active = store.current();
  const items = all
    .sort((a, b) => (a.name === active?.name ? -1 : b.name === active?.name ? 1 : 0))
    .map((c) => ({
      label: c.name,
      description: `${c.kind} · ${c.state} · ${c.workers.connected} workers`,
      cluster: c,
    }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Drover cluster',
    placeHolder: 'Which cluster?',
  });
  if (chosen) store.active = chosen.cluster.name;
  return chosen?.cluster;
}
