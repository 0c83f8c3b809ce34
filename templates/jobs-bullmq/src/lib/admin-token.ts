import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';
import { problem } from './errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Guards admin endpoints with one shared secret, sent as `Authorization: Bearer <ADMIN_TOKEN>`.
 * Without ADMIN_TOKEN the endpoints are off (403). Once your app has users with roles, replace
 * this middleware with a check of the signed-in user's role.
 */
export const requireAdminToken = (token: string | undefined): MiddlewareHandler<AppEnv> => {
  // Compared as digests: equal lengths, and a constant time that reveals nothing about the token.
  const expected = token === undefined ? undefined : digest(token);
  return async (c, next) => {
    if (!expected) return problem(c, 403, { detail: 'Admin endpoints are off: set ADMIN_TOKEN to turn them on' });
    const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      c.header('WWW-Authenticate', 'Bearer');
      return problem(c, 401, { detail: 'Send the admin token as Authorization: Bearer <token>' });
    }
    await next();
  };
};
