import { createRoute, z } from '@hono/zod-openapi';
import { problemSchema } from '../../lib/errors.js';

const checks = z
  .record(z.string(), z.enum(['pass', 'fail']))
  .openapi({ description: 'Result per dependency', example: { db: 'pass', cache: 'pass' } });

export const liveRoute = createRoute({
  operationId: 'getHealth',
  method: 'get',
  path: '/health',
  tags: ['health'],
  security: [],
  summary: 'Liveness: 200 while the process is up',
  responses: {
    200: {
      description: 'The process is up',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

export const readyRoute = createRoute({
  operationId: 'getReadiness',
  method: 'get',
  path: '/health/ready',
  tags: ['health'],
  security: [],
  summary: 'Readiness: every dependency answers',
  responses: {
    200: {
      description: 'Ready to serve',
      content: { 'application/json': { schema: z.object({ status: z.literal('ready'), checks }) } },
    },
    503: {
      description: 'A dependency is down; `checks` names it',
      content: { 'application/problem+json': { schema: problemSchema.extend({ checks }) } },
    },
  },
});
