import { ManagerRequestError } from './manager-client';
import type { ReplyError } from '../webview/messages';

/** One line for a notification: the manager's message, naming the field it refused. */
export function describeError(error: unknown): string {
  if (error instanceof ManagerRequestError && error.field && !error.message.includes(error.field))
    return `${error.field}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** An error as a webview gets it in a `reply`. */
export function errorReply(error: unknown): ReplyError {
  if (error instanceof ManagerRequestError)
    return {
      message: error.message,
      code: error.code,
      status: error.status,
      ...(error.field ? { field: error.field } : {}),
    };
  return { message: error instanceof Error ? error.message : String(error), code: 'failed', status: 0 };
}
