import type * as vscode from 'vscode';
import type { ClusterModel } from '@drover/core/ui';
import type { DroverService } from '../manager/drover-service';

/** What every command file needs from the extension. */
export interface CommandContext {
  extension: vscode.ExtensionContext;
  service: DroverService;
  /** After a cluster was started from any command or the form. */
  started: (cluster: ClusterModel) => void;
}
