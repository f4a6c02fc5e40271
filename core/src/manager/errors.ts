import type { ApiErrorBody, ApiErrorInfo } from './api-types.js';

/**
 * An error the manager answers with: the HTTP status, a stable code, a message that says what to
 * do and, when one value is at fault, the spec field. In-process callers catch it as it is; the
 * HTTP adapter sends {@link ManagerError.body}.
 */
export class ManagerError extends Error implements ApiErrorInfo {
  override readonly name = 'ManagerError';
  readonly field?: string;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    field?: string,
  ) {
    super(message);
    if (field !== undefined) this.field = field;
  }

  /** The error answer's body: `{ error: { code, message, field? } }`. */
  get body(): ApiErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) },
    };
  }
}

/** No cluster (or profile) of that name. */
export function notFound(what: string, name: string): ManagerError {
  return new ManagerError(
    404,
    'not-found',
    `no ${what} named ${JSON.stringify(name)}; list them with GET /api/${what === 'cluster' ? 'clusters' : 'profiles'}`,
  );
}
