import * as vscode from 'vscode';
import type { DroverService } from '../manager/drover-service';
import type { DroverNode } from '../tree/cluster-tree';

/** Show Logs: a job's log from the tree, else the Drover output channel. */
export function registerLogCommands(service: DroverService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('drover.showLogs', async (node?: DroverNode) => {
      if (node?.type !== 'job') {
        service.output.show(true);
        return undefined;
      }
      const client = await service.client();
      const [out, err] = await Promise.all([
        client.jobLog(node.cluster, node.job.jobId, 'stdout').catch((e: Error) => `(${e.message})`),
        client.jobLog(node.cluster, node.job.jobId, 'stderr').catch((e: Error) => `(${e.message})`),
      ]);
      const content = `# job ${node.job.jobId} of ${node.cluster}: stdout\n${out}\n# stderr\n${err}\n`;
      const doc = await vscode.workspace.openTextDocument({ language: 'log', content });
      await vscode.window.showTextDocument(doc, { preview: true });
      return doc;
    }),
  ];
}
