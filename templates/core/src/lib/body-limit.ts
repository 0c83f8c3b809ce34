import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import type { AppEnv } from './app-env.js';
import { problem } from './errors.js';

/**
 * Refuses request bodies over `maxBytes` with 413, except on `streamed` routes: `'POST /api/v1/files'`,
 * or `'PUT /files/*'` for every path below a prefix. Those read their body as a stream under a limit
 * of their own; here it would be buffered in memory and refused over `maxBytes`.
 */
export const bodyLimit = (maxBytes: number, streamed: readonly string[] = []): MiddlewareHandler<AppEnv> => {
  const limit = honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) => problem(c, 413, { detail: `Request body is larger than ${maxBytes} bytes` }),
  });
  const exact = new Set(streamed.filter((route) => !route.endsWith('/*')));
  const prefixes = streamed.filter((route) => route.endsWith('/*')).map((route) => route.slice(0, -1));
  const limitsItself = (route: string) => exact.has(route) || prefixes.some((prefix) => route.startsWith(prefix));
  // GET and HEAD carry no body; skipping them avoids materializing the request stream for nothing.
  return (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' || limitsItself(`${c.req.method} ${c.req.path}`)
      ? next()
      : limit(c, next);
};
