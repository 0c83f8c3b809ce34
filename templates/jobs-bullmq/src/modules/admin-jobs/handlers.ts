import type { RouteHandler } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.js';
import type { AppEnv } from '../../lib/app-env.js';
import { problem } from '../../lib/errors.js';
import type { countsRoute, failedRoute, retryRoute } from './routes.js';

/** The handlers of ./routes.ts, over the job queue. */
export const adminJobsHandlers = ({ jobs }: AppDeps) => {
  const counts: RouteHandler<typeof countsRoute, AppEnv> = async (c) => c.json({ counts: await jobs.counts() }, 200);

  const failed: RouteHandler<typeof failedRoute, AppEnv> = async (c) =>
    c.json({ jobs: await jobs.failed(c.req.valid('query').limit) }, 200);

  const retry: RouteHandler<typeof retryRoute, AppEnv> = async (c) => {
    const { id } = c.req.valid('param');
    const result = await jobs.retry(id);
    if (result === 'not-found') return problem(c, 404, { detail: `No job ${id}` });
    if (result === 'not-failed')
      return problem(c, 409, { detail: `Job ${id} has not failed, so there is nothing to retry` });
    return c.json({ id, status: 'queued' as const }, 202);
  };

  return { counts, failed, retry };
};
