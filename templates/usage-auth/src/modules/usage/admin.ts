import { createRoute, type RouteHandler, z } from '@hono/zod-openapi';
import { and, countDistinct, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { usageLedger } from '../../db/schema/usage-ledger.js';
import type { AppDeps } from '../../deps.js';
import { json, problemResponse } from '../../lib/openapi.js';
import type { ScopeEnv } from '../../lib/scope.js';
import { usageQuery } from './schema.js';
import { windowStart } from './service.js';

const adminUsageQuery = usageQuery.extend({
  metric: z.string().min(1).default('api.requests').openapi({ description: 'The metric users are ranked by' }),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

const adminUsageSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    byMetric: z.array(z.object({ metric: z.string(), quantity: z.number().int(), users: z.number().int() })),
    topUsers: z.object({
      metric: z.string(),
      users: z.array(z.object({ userKey: z.string(), quantity: z.number().int() })),
    }),
  })
  .openapi('AdminUsage');

export const adminUsageRoute = createRoute({
  operationId: 'getAdminUsage',
  method: 'get',
  path: '/admin/usage',
  tags: ['admin'],
  summary: "Everyone's usage: totals per metric and the top users of one metric (administrators)",
  security: [{ bearerAuth: [] }],
  request: { query: adminUsageQuery },
  responses: {
    200: json(adminUsageSchema, 'Totals over the window'),
    400: problemResponse('Invalid query'),
    401: problemResponse('Missing or invalid access token'),
    403: problemResponse('Deactivated account, or not an administrator'),
  },
});

const quantity = () => sql<number>`sum(${usageLedger.quantity})`.mapWith(Number);

/** Totals per metric (with how many callers used it) and the heaviest users of `metric` since `from`. */
const usageTotals = async (db: Db, { from, metric, limit }: { from: Date; metric: string; limit: number }) => {
  const inWindow = gte(usageLedger.hour, from);
  const byMetric = await db
    .select({ metric: usageLedger.metric, quantity: quantity(), users: countDistinct(usageLedger.userKey) })
    .from(usageLedger)
    .where(inWindow)
    .groupBy(usageLedger.metric)
    .orderBy(usageLedger.metric);
  const users = await db
    .select({ userKey: usageLedger.userKey, quantity: quantity() })
    .from(usageLedger)
    .where(and(inWindow, eq(usageLedger.metric, metric)))
    .groupBy(usageLedger.userKey)
    .orderBy(desc(quantity()), usageLedger.userKey)
    .limit(limit);
  return { byMetric, topUsers: { metric, users } };
};

export const adminUsageHandler =
  ({ db }: AppDeps): RouteHandler<typeof adminUsageRoute, ScopeEnv> =>
  async (c) => {
    const { days, metric, limit } = c.req.valid('query');
    const now = new Date();
    const from = windowStart(now, days);
    return c.json(
      { from: from.toISOString(), to: now.toISOString(), ...(await usageTotals(db, { from, metric, limit })) },
      200,
    );
  };
