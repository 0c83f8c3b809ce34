import type { AppDeps } from '../../deps.js';
import { scopedRouter } from '../../lib/scope.js';
import { usageHandlers } from './handlers.js';
import { usageRoute } from './routes.js';

/** /usage: without users, every caller sees the totals of all of them (there is no per-user view). */
export const usageRoutes = (deps: AppDeps) => {
  const h = usageHandlers(deps);
  return scopedRouter(deps, '/usage').openapi(usageRoute, h.usage);
};
