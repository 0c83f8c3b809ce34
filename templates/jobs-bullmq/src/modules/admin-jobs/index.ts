import type { AppDeps } from '../../deps.js';
import { requireAdminToken } from '../../lib/admin-token.js';
import { createRouter } from '../../lib/router.js';
import { adminJobsHandlers } from './handlers.js';
import { countsRoute, failedRoute, retryRoute } from './routes.js';

/** Mounted at /api/v1: inspect the job queue and retry failed jobs. */
export const adminJobsRoutes = (deps: AppDeps) => {
  const router = createRouter();
  router.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', { type: 'http', scheme: 'bearer' });
  router.use('/admin/jobs/*', requireAdminToken(deps.env.ADMIN_TOKEN));
  const h = adminJobsHandlers(deps);
  return router.openapi(countsRoute, h.counts).openapi(failedRoute, h.failed).openapi(retryRoute, h.retry);
};
