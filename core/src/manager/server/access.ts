import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The token a request presents: `Authorization: Bearer …`, else `?token=`. */
export function presentedToken(request: IncomingMessage, url: URL): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return url.searchParams.get('token');
}

/** Compares tokens in constant time (hashes first, so lengths leak nothing either). */
export function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Whether a request's `Origin` may talk to the API: no Origin (not a browser, or a same-origin
 * GET), the server's own origin, or one of `allowed`. Everything else is refused: CORS is closed
 * unless an allow-list is given.
 */
export function originAllowed(request: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (origin === `http://${request.headers.host ?? ''}`) return true;
  return allowed.includes(origin);
}
