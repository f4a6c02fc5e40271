import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { COMMON_HEADERS } from './http-util.js';
import { ManagerError } from '../errors.js';

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
};

/**
 * Nothing but this server: scripts and styles from here, data from here and its own WebSocket.
 * No inline script, no other origin, so nothing leaves the machine and injected markup cannot run.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** Whether a path is one of the dashboard's files. */
export function isStaticPath(path: string): boolean {
  return path in FILES;
}

/**
 * Serves a dashboard file. The page's own asset links get the token appended (`?token=`) because a
 * `<script src>` cannot send an Authorization header; behind a proxy that adds the header, the
 * `tokenQuery` is empty.
 */
export async function serveStatic(
  directory: string,
  path: string,
  tokenQuery: string,
  response: ServerResponse,
): Promise<void> {
  const entry = FILES[path]!;
  let body: string;
  try {
    body = await readFile(join(directory, entry.file), 'utf8');
  } catch {
    throw new ManagerError(
      500,
      'dashboard-missing',
      `the dashboard is not built (${entry.file}); run npm run build`,
    );
  }
  if (entry.file === 'index.html') body = body.replaceAll('{{TOKEN_QUERY}}', escapeHtml(tokenQuery));
  response
    .writeHead(200, { ...COMMON_HEADERS, 'content-type': entry.type, 'content-security-policy': CSP })
    .end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
