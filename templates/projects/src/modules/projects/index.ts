import type { AppDeps } from '../../deps.js';
import { scopedRouter } from '../../lib/scope.js';
import { projectHandlers } from './handlers.js';
import {
  createProjectRoute,
  deleteProjectRoute,
  getProjectRoute,
  listProjectsRoute,
  restoreProjectRoute,
  updateProjectRoute,
} from './routes.js';
import { createProjectsService } from './service.js';

/** /projects: the caller's projects (src/lib/scope.ts says whose). */
export const projectsRoutes = (deps: AppDeps) => {
  const h = projectHandlers(createProjectsService(deps.db));
  return scopedRouter(deps, '/projects')
    .openapi(listProjectsRoute, h.list)
    .openapi(createProjectRoute, h.create)
    .openapi(getProjectRoute, h.get)
    .openapi(updateProjectRoute, h.update)
    .openapi(deleteProjectRoute, h.remove)
    .openapi(restoreProjectRoute, h.restore);
};
