import { and, count, eq, isNull } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { projects } from '../../db/schema/projects.js';
import type { AppDeps } from '../../deps.js';
import { type AuthEnv, requireUser } from '../auth/middleware.js';
import { limitReached } from './gates.js';

const ONE = /^\/[^/]+$/;
const RESTORE = /^\/[^/]+\/restore$/;

/**
 * The plan's `projects` limit, in front of the projects routes at `base`: creating or restoring a
 * project takes one from the user's counter (402 naming the plan that allows more when none is left),
 * a request that made nothing gives it back, and deleting one gives one back. Other requests pass
 * untouched.
 */
export const projectLimit = (deps: AppDeps, base: string): MiddlewareHandler => {
  const { db, billing } = deps;
  // What a user has when their counter starts: projects made before billing was added count too.
  const liveProjects = (userId: string) => async () => {
    const [row] = await db
      .select({ n: count() })
      .from(projects)
      .where(and(eq(projects.ownerId, userId), isNull(projects.deletedAt)));
    return row?.n ?? 0;
  };

  const take: MiddlewareHandler<AuthEnv> = async (c, next) => {
    const userId = c.get('user').id;
    const taken = await billing.limits.take(userId, 'projects', 1, liveProjects(userId));
    if (!taken.ok) return limitReached(c, taken);
    await next();
    // A bad body, a project not in the bin, an error: nothing was made.
    if (!c.res.ok) await billing.limits.give(userId, 'projects', 1);
  };

  const giveBack: MiddlewareHandler<AuthEnv> = async (c, next) => {
    await next();
    if (c.res.ok) await billing.limits.give(c.get('user').id, 'projects', 1);
  };

  // The user is needed before the route's own requireUser runs: its token check is cached.
  const taking = every(requireUser(deps), take);
  const giving = every(requireUser(deps), giveBack);
  return async (c, next) => {
    const rest = c.req.path.slice(base.length);
    if (c.req.method === 'POST' && (rest === '' || RESTORE.test(rest))) return taking(c, next);
    if (c.req.method === 'DELETE' && ONE.test(rest)) return giving(c, next);
    await next();
  };
};
