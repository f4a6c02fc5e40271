import type { RemoteError } from '../protocol/messages.js';

/**
 * A task failed on a worker. The message names the task; the stack shows the remote stack first,
 * then where the result was awaited.
 */
export class RemoteTaskError extends Error {
  override name = 'RemoteTaskError';
  /** The task whose result was asked for. */
  readonly key: string;
  /** The task that raised (a dependency when it differs from `key`). */
  readonly failedKey: string;
  readonly remoteName: string;
  readonly remoteStack: string;
  /** Extra fields of the remote error, e.g. a command's `exitCode` and output tails. */
  readonly detail: Record<string, unknown>;

  constructor(key: string, remote: RemoteError) {
    const where = remote.key && remote.key !== key ? ` (in its dependency '${remote.key}')` : '';
    super(`task '${key}' failed${where}: ${remote.name}: ${remote.message}`);
    this.key = key;
    this.failedKey = remote.key || key;
    this.remoteName = remote.name;
    this.remoteStack = remote.stack;
    this.detail = remote.detail ?? {};
    const local = this.stack?.split('\n').slice(1).join('\n') ?? '';
    this.stack = `${this.name}: ${this.message}\n    --- remote stack ---\n${indent(remote.stack)}\n    --- awaited at ---\n${local}`;
  }
}

/** The task was cancelled before it finished. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(readonly key: string) {
    super(`task '${key}' was cancelled`);
  }
}

/** The client lost its scheduler while the result was pending. */
export class SchedulerLostError extends Error {
  override name = 'SchedulerLostError';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.startsWith('    ') ? line : `    ${line}`))
    .join('\n');
}
