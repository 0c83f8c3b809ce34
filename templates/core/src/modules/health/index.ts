import type { AppDeps } from '../../deps.js';
import { createRouter } from '../../lib/router.js';
import { healthHandlers } from './handlers.js';
import { liveRoute, readyRoute } from './routes.js';

export const healthRoutes = (deps: AppDeps) => {
  const h = healthHandlers(deps);
  return createRouter().openapi(liveRoute, h.live).openapi(readyRoute, h.ready);
};
