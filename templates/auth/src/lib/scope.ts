import { type Column, eq, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppDeps } from '../deps.js';
import { type AuthEnv, requireUser } from './auth/middleware.js';
import { problemResponse } from './openapi.js';
import { createRouter } from './router.js';

/**
 * Whose rows a caller may touch: the signed-in user's own. Spread into an insert, it sets the owner;
 * someone else's row is simply not found (404, not 403).
 */
export type Scope = { ownerId: string };

export type ScopeEnv = AuthEnv;

export const scopeOf = (c: Context<ScopeEnv>): Scope => ({ ownerId: c.get('user').id });

/** The rows of `table` in `scope`, for a where clause. */
export const inScope = (table: { ownerId: Column }, scope: Scope): SQL => eq(table.ownerId, scope.ownerId);

/** A router whose routes under each of `paths` need a signed-in, active user. */
export const scopedRouter = (deps: AppDeps, ...paths: string[]) => {
  const router = createRouter<ScopeEnv>();
  for (const path of paths) {
    router.use(path, requireUser(deps));
    router.use(`${path}/*`, requireUser(deps));
  }
  return router;
};

/** OpenAPI for scoped routes: the token they need, and what they answer without a usable one. */
export const scopedRoute = {
  security: [{ bearerAuth: [] }],
  responses: {
    401: problemResponse('Missing or invalid access token'),
    403: problemResponse('Deactivated account'),
  },
};
