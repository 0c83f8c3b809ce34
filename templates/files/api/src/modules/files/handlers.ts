import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { problem } from '../../lib/errors.js';
import { type ScopeEnv, scopeOf } from '../../lib/scope.js';
import { StorageError } from '../../lib/storage/storage.js';
import { fileFromForm, MalformedUpload } from './multipart.js';
import { attachment } from './names.js';
import type {
  confirmUploadRoute,
  deleteFileRoute,
  downloadFileRoute,
  getFileRoute,
  listFilesRoute,
  requestUploadRoute,
  uploadFileRoute,
} from './routes.js';
import { toFileJson } from './schema.js';
import type { FilesService } from './service.js';

type Env = ScopeEnv;

/** Room for the multipart boundaries and part headers around the file itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

const missing = (c: Context<Env>) => problem(c, 404, { detail: 'No such file' });
const tooLarge = (c: Context<Env>, maxBytes: number) =>
  problem(c, 413, { detail: `Files may be at most ${maxBytes} bytes; nothing was stored` });

export const fileHandlers = (files: FilesService, maxBytes: number) => {
  const list: RouteHandler<typeof listFilesRoute, Env> = async (c) => {
    const page = await files.list(scopeOf(c), c.req.valid('query'));
    if (!page) return problem(c, 400, { detail: 'Invalid cursor' });
    return c.json({ items: page.items.map(toFileJson), nextCursor: page.nextCursor }, 200);
  };

  const upload: RouteHandler<typeof uploadFileRoute, Env> = async (c) => {
    // A body announced as too large is refused before a byte of it is read; an unannounced or
    // understated one is counted while it streams (see inspect).
    if (Number(c.req.header('content-length')) > maxBytes + FORM_OVERHEAD_BYTES) return tooLarge(c, maxBytes);
    try {
      const part = await fileFromForm(c.req.raw, maxBytes + FORM_OVERHEAD_BYTES);
      try {
        return c.json(toFileJson(await files.upload(scopeOf(c), part)), 201);
      } catch (err) {
        part.abort();
        throw err;
      }
    } catch (err) {
      if (err instanceof MalformedUpload) return problem(c, err.status, { detail: err.message });
      if (err instanceof StorageError && err.code === 'too_large') return tooLarge(c, maxBytes);
      throw err;
    }
  };

  const get: RouteHandler<typeof getFileRoute, Env> = async (c) => {
    const row = await files.get(scopeOf(c), c.req.valid('param').id);
    return row ? c.json(toFileJson(row), 200) : missing(c);
  };

  const download: RouteHandler<typeof downloadFileRoute, Env> = async (c) => {
    const found = await files.content(scopeOf(c), c.req.valid('param').id);
    if (!found) return missing(c);
    const { row, object } = found;
    const headers = {
      'Content-Type': row.contentType ?? 'application/octet-stream',
      'Content-Length': String(object.size),
      'Content-Disposition': attachment(row.name),
      // The sniffed type is the one a browser must use; it may not guess another from the bytes.
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    };
    // Hono answers HEAD through this handler and drops the body: release the opened object instead.
    if (c.req.method === 'HEAD') {
      await object.body.cancel();
      return c.body(null, 200, headers);
    }
    return c.body(object.body, 200, headers);
  };

  const remove: RouteHandler<typeof deleteFileRoute, Env> = async (c) =>
    (await files.remove(scopeOf(c), c.req.valid('param').id)) ? c.body(null, 204) : missing(c);

  const requestUpload: RouteHandler<typeof requestUploadRoute, Env> = async (c) => {
    const { file, ticket } = await files.requestUpload(scopeOf(c), c.req.valid('json').name);
    // Providers whose uploads are form posts say so with `form` (see SignedUrl); the client follows `method`.
    const how = ticket.form ? { method: 'POST' as const, fields: ticket.form } : { method: 'PUT' as const };
    return c.json(
      {
        fileId: file.id,
        uploadUrl: ticket.url,
        ...how,
        key: ticket.key,
        expiresAt: ticket.expiresAt.toISOString(),
      },
      201,
    );
  };

  const confirm: RouteHandler<typeof confirmUploadRoute, Env> = async (c) => {
    const result = await files.confirm(scopeOf(c), c.req.valid('param').id);
    if (result === undefined) return missing(c);
    if (result === 'not_uploaded') return problem(c, 409, { detail: 'Nothing was uploaded to this file yet' });
    if (result === 'too_large') return tooLarge(c, maxBytes);
    return c.json(toFileJson(result), 200);
  };

  return { list, upload, get, download, remove, requestUpload, confirm };
};
