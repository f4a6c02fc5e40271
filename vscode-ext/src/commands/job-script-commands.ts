import * as vscode from 'vscode';
import type { ClusterSpec } from '@drover/core/ui';
import type { DroverService } from '../manager/drover-service';
import { describeError } from '../manager/errors';
import { readSettings } from '../settings/settings';
import { NewClusterPanel } from '../webview/new-cluster-panel';
import type { JobScriptDocument } from './job-script-document';

/** A spec or a tree row / cluster name whose spec to use. */
type SpecArgument = ClusterSpec | { type: 'cluster'; name: string } | string | undefined;

/** Preview Job Script and Export Job Script…, for the form's spec, a cluster's, or the defaults. */
export function registerJobScriptCommands(
  service: DroverService,
  document: JobScriptDocument,
): vscode.Disposable[] {
  const specOf = async (arg: SpecArgument): Promise<ClusterSpec> => {
    if (typeof arg === 'object' && 'kind' in arg) return arg;
    const name = typeof arg === 'string' ? arg : arg?.name;
    if (name !== undefined) return (await (await service.client()).cluster(name)).spec;
    return NewClusterPanel.open?.spec ?? readSettings().newClusterDefaults;
  };
  return [
    vscode.commands.registerCommand('drover.previewJobScript', async (arg?: SpecArgument) =>
      document.show(await specOf(arg)),
    ),
    vscode.commands.registerCommand(
      'drover.exportJobScript',
      async (arg?: SpecArgument, target?: vscode.Uri) => {
        const client = await service.client();
        let exported: { text: string; fileName: string };
        try {
          exported = await client.export(await specOf(arg));
        } catch (error) {
          const message = `Cannot export the job script: ${describeError(error)}`;
          void vscode.window.showErrorMessage(message);
          throw new Error(message);
        }
        const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd());
        const uri =
          target ??
          (await vscode.window.showSaveDialog({
            title: 'Export job script',
            defaultUri: vscode.Uri.joinPath(base, exported.fileName),
            filters: { 'Job scripts': ['sh', 'ts'] },
          }));
        if (!uri) return undefined;
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(exported.text));
        service.output.info(`exported the job script to ${uri.fsPath}`);
        return uri;
      },
    ),
  ];
}
