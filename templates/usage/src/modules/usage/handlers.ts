import type { RouteHandler } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.js';
import type { ScopeEnv } from '../../lib/scope.js';
import { reportOwner } from './owner.js';
import type { usageRoute } from './routes.js';
import { usageReport } from './service.js';

export const usageHandlers = ({ db }: AppDeps) => {
  // Every /api answer is already Cache-Control: no-store (src/lib/http.ts): usage is per caller.
  const usage: RouteHandler<typeof usageRoute, ScopeEnv> = async (c) => {
    const { days } = c.req.valid('query');
    return c.json(await usageReport(db, { userKey: reportOwner(c), days, now: new Date() }), 200);
  };
  return { usage };
};
