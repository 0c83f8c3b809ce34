import type { RouteHandler } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.js';
import type { AuthEnv } from '../../lib/auth/middleware.js';
import { problem } from '../../lib/errors.js';
import type { adminUpdateUserRoute, getMeRoute, listUsersRoute, updateMeRoute } from './routes.js';
import { toUserJson } from './schema.js';

/** The handlers of ./routes.ts, over the users of `auth`. */
export const usersHandlers = ({ auth }: AppDeps) => {
  const getMe: RouteHandler<typeof getMeRoute, AuthEnv> = (c) => c.json(toUserJson(c.get('user')), 200);

  const updateMe: RouteHandler<typeof updateMeRoute, AuthEnv> = async (c) => {
    const user = await auth.users.update(c.get('user').id, c.req.valid('json'));
    return c.json(toUserJson(user ?? c.get('user')), 200);
  };

  const listUsers: RouteHandler<typeof listUsersRoute, AuthEnv> = async (c) => {
    const query = c.req.valid('query');
    const { items, total } = await auth.users.list(query);
    return c.json({ items: items.map(toUserJson), total, limit: query.limit, offset: query.offset }, 200);
  };

  const adminUpdateUser: RouteHandler<typeof adminUpdateUserRoute, AuthEnv> = async (c) => {
    const { id } = c.req.valid('param');
    const by = { actorId: c.get('user').id, requestId: c.get('requestId') };
    const user = await auth.users.adminUpdate(id, c.req.valid('json'), by);
    if (!user) return problem(c, 404, { detail: 'No such user' });
    return c.json(toUserJson(user), 200);
  };

  return { getMe, updateMe, listUsers, adminUpdateUser };
};
