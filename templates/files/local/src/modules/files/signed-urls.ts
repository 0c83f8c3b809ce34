import type { AppDeps } from '../../deps.js';
import { problem } from '../../lib/errors.js';
import { createRouter } from '../../lib/router.js';
import { StorageError } from '../../lib/storage/storage.js';

/** Every refusal of a signature looks alike: a client learns only that the URL does not work. */
const refuse = (c: Parameters<typeof problem>[0], verdict: 'expired' | 'invalid') =>
  problem(c, 403, { detail: verdict === 'expired' ? 'This URL has expired' : 'This URL is not valid' });

/**
 * Serves the signed URLs of local storage (`/files/{key}?expires=...&signature=...`), which S3 and
 * Cloudinary would serve themselves: PUT stores the body once under the signed key (streamed, at most
 * FILES_MAX_BYTES), GET sends the object back as an attachment.
 */
export const signedUrlRoutes = ({ storage, env }: AppDeps) => {
  const router = createRouter();
  /** Keys with an upload still streaming in: the stored file does not exist until it ends. */
  const arriving = new Set<string>();
  const taken = (c: Parameters<typeof problem>[0]) =>
    problem(c, 409, { detail: 'Something was already uploaded to this URL' });

  router.put('/files/:key', async (c) => {
    const key = c.req.param('key');
    const verdict = storage.verify('upload', key, c.req.query());
    if (verdict !== 'valid') return refuse(c, verdict);
    const body = c.req.raw.body;
    if (!body) return problem(c, 400, { detail: 'Expected the file as the request body' });
    // One upload per URL: after confirm, a second PUT would swap the bytes behind a checked file.
    // Claimed before the first await, so two PUTs at once cannot both pass the check.
    if (arriving.has(key)) return taken(c);
    arriving.add(key);
    try {
      if (await storage.head(key)) return taken(c);
      await storage.put(body, { key, maxBytes: env.FILES_MAX_BYTES });
    } catch (err) {
      if (err instanceof StorageError && err.code === 'too_large') {
        return problem(c, 413, { detail: `Files may be at most ${env.FILES_MAX_BYTES} bytes; nothing was stored` });
      }
      throw err;
    } finally {
      arriving.delete(key);
    }
    return c.body(null, 204);
  });

  router.get('/files/:key', async (c) => {
    const key = c.req.param('key');
    const verdict = storage.verify('download', key, c.req.query());
    if (verdict !== 'valid') return refuse(c, verdict);
    const object = await storage.get(key);
    if (!object) return problem(c, 404, { detail: 'No such file' });
    const headers = {
      'Content-Type': object.contentType,
      'Content-Length': String(object.size),
      'Content-Disposition': 'attachment',
      'X-Content-Type-Options': 'nosniff',
    };
    // Hono answers HEAD through this handler and drops the body: release the opened file instead.
    if (c.req.method === 'HEAD') {
      await object.body.cancel();
      return c.body(null, 200, headers);
    }
    return c.body(object.body, 200, headers);
  });

  return router;
};
