/**
 * An error the manager API answers with: the HTTP status, a stable code, a message that says what
 * to do and, when one value is at fault, the spec field.
 */
export class ManagerError extends Error {
  override readonly name = 'ManagerError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
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
