import type { AppDeps } from '../../deps.js';
import { createRouter } from '../../lib/router.js';
import { live, ready } from './handlers.js';
import { liveRoute, readyRoute } from './routes.js';

export const healthRoutes = (deps: AppDeps) => createRouter().openapi(liveRoute, live).openapi(readyRoute, ready(deps));
