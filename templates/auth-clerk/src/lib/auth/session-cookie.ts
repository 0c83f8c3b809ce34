import { getCookie } from 'hono/cookie';
import { bearerToken, JWT_SHAPE, type TokenReader } from './token.js';

/** Methods that change nothing, so a cookie riding along on a cross-site request cannot do harm. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `Authorization: Bearer` first; without that header, Clerk's `__session` cookie (browser apps on the
 * same site as the API). A browser attaches cookies on its own, so a state-changing request is only
 * read from the cookie when its Origin is one of `authorizedParties`: no cross-site request forgery.
 */
export const sessionCookieToken =
  (authorizedParties: readonly string[]): TokenReader =>
  (c) => {
    // A malformed header is a failed attempt, not a reason to fall back to the cookie.
    if (c.req.header('authorization') !== undefined) return bearerToken(c);
    const token = getCookie(c, '__session');
    if (!token || !JWT_SHAPE.test(token)) return undefined;
    if (!SAFE_METHODS.has(c.req.method) && !authorizedParties.includes(c.req.header('origin') ?? '')) return undefined;
    return token;
  };
