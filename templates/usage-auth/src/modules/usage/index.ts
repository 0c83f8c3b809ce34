import type { AppDeps } from '../../deps.js';
import { requireAdmin, requireUser } from '../../lib/auth/middleware.js';
import { scopedRouter } from '../../lib/scope.js';
import { adminUsageHandler, adminUsageRoute } from './admin.js';
import { usageHandlers } from './handlers.js';
import { usageRoute } from './routes.js';

/** /usage for each signed-in user's own usage, /admin/usage for everyone's totals (administrators). */
export const usageRoutes = (deps: AppDeps) => {
  const h = usageHandlers(deps);
  const router = scopedRouter(deps, '/usage');
  router.use('/admin/usage', requireUser(deps), requireAdmin);
  return router.openapi(usageRoute, h.usage).openapi(adminUsageRoute, adminUsageHandler(deps));
};
