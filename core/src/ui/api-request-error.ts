import type { ApiErrorInfo } from '../manager/api-types.js';

/**
 * An error answer of the manager, whichever transport carried it (HTTP, JupyterLab's server
 * connection, a VS Code message): the views show `message` and mark `field` in the form. The same
 * contract ({@link ApiErrorInfo}) as the manager's own error, read back from an answer.
 */
export class ApiRequestError extends Error implements ApiErrorInfo {
  override readonly name = 'ApiRequestError';
  constructor(
    /** The HTTP status, or the one the manager would have answered with. */
    readonly status: number,
    /** Stable, machine-readable: `invalid-spec`, `not-found`, `conflict`, … */
    readonly code: string,
    message: string,
    /** The spec field at fault, when the manager named one. */
    readonly field?: string,
  ) {
    super(message);
  }
}
