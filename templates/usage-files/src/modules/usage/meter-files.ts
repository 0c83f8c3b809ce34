import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../../deps.js';
import { requestOwner } from './owner.js';

const CONFIRM = /^\/[^/]+\/confirm$/;

/**
 * Meters stored files in front of the files routes at `base`: an upload through the API (201) or a
 * confirmed presigned upload (200) counts one `storage.uploads` and its size in `storage.bytes`, for
 * whoever made it. Deleting a file does not give bytes back: these count what was stored, not what is.
 */
export const meterFiles =
  ({ usage }: AppDeps, base: string): MiddlewareHandler =>
  async (c, next) => {
    await next();
    const rest = c.req.path.slice(base.length);
    const stored =
      c.req.method === 'POST' &&
      ((rest === '' && c.res.status === 201) || (CONFIRM.test(rest) && c.res.status === 200));
    if (!stored) return;
    const file = (await c.res.clone().json()) as { size: number | null };
    const owner = requestOwner(c);
    usage.record(owner, 'storage.uploads');
    if (file.size) usage.record(owner, 'storage.bytes', file.size);
  };
