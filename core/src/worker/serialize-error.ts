import type { RemoteError } from '../protocol/messages.js';

/** Turns anything thrown into the plain shape that travels to the client. */
export function serializeError(error: unknown): Omit<RemoteError, 'key'> {
  if (error instanceof Error) {
    const detail: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(error)) {
      if (['string', 'number', 'boolean'].includes(typeof value) || value === null) detail[name] = value;
    }
    return {
      name: error.name,
      message: error.message,
      stack: error.stack ?? `${error.name}: ${error.message}`,
      ...(Object.keys(detail).length > 0 ? { detail } : {}),
    };
  }
  const text = typeof error === 'string' ? error : safeString(error);
  return { name: 'Error', message: `a non-Error value was thrown: ${text}`, stack: '' };
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
