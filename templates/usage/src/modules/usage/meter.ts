import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../../deps.js';
import { requestOwner } from './owner.js';

/**
 * Counts each API request (`api.requests`) for whoever made it, once the route has answered (so the
 * route's own sign-in check has run): a counter in memory, never a database write on the request path.
 */
export const meterRequests =
  ({ usage }: AppDeps): MiddlewareHandler =>
  async (c, next) => {
    await next();
    usage.record(requestOwner(c), 'api.requests');
  };
