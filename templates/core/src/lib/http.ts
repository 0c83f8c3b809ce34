import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps.js';
import type { AppEnv } from './app-env.js';
import { type HeaderList, setHeader, setHeaders } from './headers.js';
import { acceptedRequestId, requestIdGenerator } from './request-id.js';
import { corsPolicy, PREFLIGHT_HEADERS, SECURITY_HEADERS } from './security.js';

/**
 * Request id, security headers, CORS and the access log in one middleware. The header sets are built
 * once, here, and set before the handler runs (see setHeaders): setting headers on a response that is
 * already built makes Hono copy it.
 */
export const httpLayer = ({ env, logger }: AppDeps): MiddlewareHandler<AppEnv> => {
  const nextRequestId = requestIdGenerator();
  const cors = corsPolicy(env);
  const everyResponse: HeaderList = cors.varyOnOrigin ? [...SECURITY_HEADERS, ['Vary', 'Origin']] : SECURITY_HEADERS;

  return async (c, next) => {
    const started = performance.now();
    const requestId = acceptedRequestId(c.req.header('x-request-id')) ?? nextRequestId();
    c.set('requestId', requestId);
    setHeader(c, 'X-Request-Id', requestId);
    setHeaders(c, everyResponse);
    // API answers are per user: no shared cache or browser keeps them unless a route sets its own Cache-Control.
    if (c.req.path.startsWith('/api/')) setHeader(c, 'Cache-Control', 'no-store');

    const origin = c.req.header('origin');
    const corsHeaders = origin === undefined ? undefined : cors.headersFor(origin);
    if (corsHeaders) setHeaders(c, corsHeaders);

    if (origin !== undefined && c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      // A preflight from a disallowed origin gets no CORS headers, so the browser blocks the real request.
      if (corsHeaders) setHeaders(c, PREFLIGHT_HEADERS);
      c.res = c.body(null, 204);
    } else {
      await next();
    }

    logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  };
};
