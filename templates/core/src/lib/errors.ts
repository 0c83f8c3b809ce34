import { STATUS_CODES } from 'node:http';
import { z } from '@hono/zod-openapi';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps } from '../deps.js';
import type { AppEnv } from './app-env.js';
import { setHeader } from './headers.js';
import { RETRY_AFTER_SECONDS } from './outage.js';

/** RFC 9457 problem details. Extension members (`errors`, `checks`, ...) may be added. */
export interface Problem {
  type?: string;
  title?: string;
  detail?: string;
}

/** The documented shape of every error response, for OpenAPI. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string(),
    requestId: z.string(),
  })
  .openapi('Problem');

const PROBLEM_HEADERS = { 'Content-Type': 'application/problem+json' };

/** Sends an application/problem+json response. Errors, 404s and validation failures all use it. */
export const problem = <Status extends ContentfulStatusCode, Fields extends Problem = Problem>(
  // Any app env: routers may extend AppEnv with variables of their own.
  c: Context,
  status: Status,
  fields: Fields,
) =>
  c.json(
    {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      ...fields,
      instance: c.req.path,
      requestId: c.get('requestId'),
    },
    status,
    PROBLEM_HEADERS,
  );

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  problem(c, 404, { detail: `No route for ${c.req.method} ${c.req.path}` });

/**
 * Expected errors (HTTPException) keep their status. A database outage is a 503 that clients and load
 * balancers retry, logged once per outage. Anything else is a 500 whose details stay in the log.
 */
export const handleError =
  ({ env, logger, dbOutages }: AppDeps): ErrorHandler<AppEnv> =>
  (err, c) => {
    if (err instanceof HTTPException && err.status < 500) {
      return problem(c, err.status, { detail: err.message });
    }
    if (dbOutages.report(err)) {
      setHeader(c, 'Retry-After', String(RETRY_AFTER_SECONDS));
      return problem(c, 503, { detail: 'The database is unavailable; retry later' });
    }
    logger.error({ err, requestId: c.get('requestId') }, 'unhandled error');
    const status = err instanceof HTTPException ? err.status : 500;
    return problem(
      c,
      status,
      env.NODE_ENV === 'development' ? { detail: err.message, stack: err.stack } : { detail: 'Internal error' },
    );
  };
