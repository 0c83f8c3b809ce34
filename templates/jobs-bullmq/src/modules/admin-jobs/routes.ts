import { createRoute, z } from '@hono/zod-openapi';
import { json, problemResponse } from '../../lib/openapi.js';

/** What the admin-token guard answers instead of the route. */
const guarded = {
  401: problemResponse('Missing or wrong admin token'),
  403: problemResponse('Admin endpoints are off: ADMIN_TOKEN is not set'),
};

const auth = { tags: ['admin'], security: [{ adminToken: [] }] };

const countsSchema = z
  .object({
    waiting: z.number().int(),
    active: z.number().int(),
    delayed: z.number().int(),
    prioritized: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
  })
  .openapi('JobCounts');

const failedJobSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    reason: z.string().openapi({ description: 'Error message of the last attempt' }),
    attempts: z.number().int(),
    failedAt: z.iso.datetime().optional(),
  })
  .openapi('FailedJob');

export const countsRoute = createRoute({
  ...auth,
  operationId: 'countJobs',
  method: 'get',
  path: '/admin/jobs',
  summary: 'Jobs by state',
  responses: {
    200: json(z.object({ counts: countsSchema }), 'Counts by state'),
    ...guarded,
  },
});

export const failedRoute = createRoute({
  ...auth,
  operationId: 'listFailedJobs',
  method: 'get',
  path: '/admin/jobs/failed',
  summary: 'Failed jobs, newest first, with the reason of their last attempt',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
  responses: {
    200: json(z.object({ jobs: z.array(failedJobSchema) }), 'Failed jobs'),
    ...guarded,
  },
});

export const retryRoute = createRoute({
  ...auth,
  operationId: 'retryJob',
  method: 'post',
  path: '/admin/jobs/{id}/retry',
  summary: 'Queue a failed job again, with a fresh set of attempts',
  request: { params: z.object({ id: z.string().min(1).max(200) }) },
  responses: {
    202: json(z.object({ id: z.string(), status: z.literal('queued') }), 'Queued again'),
    ...guarded,
    404: problemResponse('No such job'),
    409: problemResponse('The job has not failed'),
  },
});
