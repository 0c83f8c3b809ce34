import { createRoute } from '@hono/zod-openapi';
import { json, problemResponse } from '../../lib/openapi.js';
import { scopedRoute } from '../../lib/scope.js';
import { usageQuery, usageReportSchema } from './schema.js';

export const usageRoute = createRoute({
  operationId: 'getUsage',
  method: 'get',
  path: '/usage',
  tags: ['usage'],
  summary: 'Metered usage: totals per metric and a daily trend (written every USAGE_FLUSH_INTERVAL_MS)',
  security: scopedRoute.security,
  request: { query: usageQuery },
  responses: {
    200: json(usageReportSchema, 'Usage over the window'),
    400: problemResponse('Invalid query'),
    ...scopedRoute.responses,
  },
});
