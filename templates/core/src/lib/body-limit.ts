import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { problem } from './errors.js';
import type { AppEnv } from './router.js';

/** Refuses request bodies over `maxBytes` with 413. */
export const bodyLimit = (maxBytes: number): MiddlewareHandler<AppEnv> => {
  const limit = honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) => problem(c, 413, { detail: `Request body is larger than ${maxBytes} bytes` }),
  });
  // GET and HEAD carry no body; skipping them avoids materializing the request stream for nothing.
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next));
};
