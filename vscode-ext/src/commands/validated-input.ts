import * as vscode from 'vscode';
import type { ClusterSpec } from '@drover/core/ui';
import type { ManagerClient } from '../manager/manager-client';
import { describeError } from '../manager/errors';

/** Options of {@link askValidated}. */
export interface ValidatedInputOptions {
  title: string;
  prompt: string;
  value?: string;
  /** The spec the text would make, or a message naming the field when the text cannot be read. */
  toSpec: (text: string) => ClusterSpec | string;
}

/**
 * An input box whose every keystroke is checked by the manager's own spec validation (through
 * the live preview), so the message names the field exactly as the form and the API do.
 * Resolves to the accepted text, or undefined when dismissed.
 */
export function askValidated(
  client: ManagerClient,
  options: ValidatedInputOptions,
): Promise<string | undefined> {
  return Promise.resolve(
    vscode.window.showInputBox({
      title: options.title,
      prompt: options.prompt,
      value: options.value ?? '',
      ignoreFocusOut: true,
      validateInput: (text) => validate(client, options.toSpec(text)),
    }),
  );
}

/** The manager's complaint about a spec, or null when it would render. */
export async function validate(client: ManagerClient, spec: ClusterSpec | string): Promise<string | null> {
  if (typeof spec === 'string') return spec;
  try {
    await client.render(spec);
    return null;
  } catch (error) {
    return describeError(error);
  }
}
