import type { IncomingMessage, ServerResponse } from 'node:http';
import { BatchCommandError, JobQueueConfigError } from '../../jobqueue/errors.js';
import { createLogger } from '../../logger.js';
import type { ApiErrorBody } from '../api-types.js';
import { ManagerError } from '../errors.js';
import { SpecError } from '../spec/spec-error.js';

const log = createLogger('serve');
/** Largest request body accepted; a spec is a few kilobytes. */
const MAX_BODY = 1 << 20;

/** Headers on every answer: nothing is cached, nothing sniffed, no referrer carries the token. */
export const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  response.end(status === 204 ? undefined : JSON.stringify(body));
}

/** Answers with the error format `{ "error": { code, message, field? } }`. */
export function sendError(response: ServerResponse, error: unknown): void {
  const { status, body } = errorBody(error);
  if (status === 500) log.error('request failed', error);
  sendJson(response, status, body);
}

/** Maps any thrown value to a status and the error body. */
export function errorBody(error: unknown): { status: number; body: ApiErrorBody } {
  if (error instanceof ManagerError) return { status: error.status, body: error.body };
  if (error instanceof SpecError)
    return {
      status: 400,
      body: { error: { code: 'invalid-spec', message: error.message, field: error.field } },
    };
  if (error instanceof JobQueueConfigError)
    return {
      status: 400,
      body: { error: { code: 'invalid-spec', message: error.message, field: `options.${error.field}` } },
    };
  if (error instanceof BatchCommandError)
    return {
      status: 502,
      body: { error: { code: 'batch-system-refused', message: error.message } },
    };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: { code: 'internal', message } } };
}

/** The request body as JSON (empty body: undefined). */
export async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new ManagerError(413, 'too-large', `request bodies are limited to ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ManagerError(400, 'invalid-json', `the body is not JSON: ${(e as Error).message}`);
  }
}
