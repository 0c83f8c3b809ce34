import type { AppDeps } from '../../deps.js';
import { type AuthEnv, requireAdmin, requireUser } from '../../lib/auth/middleware.js';
import { createRouter } from '../../lib/router.js';
import { usersHandlers } from './handlers.js';
import { adminUpdateUserRoute, getMeRoute, listUsersRoute, updateMeRoute } from './routes.js';

/** /me for every signed-in user, /admin/users for administrators. */
export const usersRoutes = (deps: AppDeps) => {
  const router = createRouter<AuthEnv>();
  router.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  router.use('/me', requireUser(deps));
  // Only this router's admin paths: other modules' admin endpoints bring their own guard.
  router.use('/admin/users', requireUser(deps), requireAdmin);
  router.use('/admin/users/*', requireUser(deps), requireAdmin);
  const h = usersHandlers(deps);
  return router
    .openapi(getMeRoute, h.getMe)
    .openapi(updateMeRoute, h.updateMe)
    .openapi(listUsersRoute, h.listUsers)
    .openapi(adminUpdateUserRoute, h.adminUpdateUser);
};
