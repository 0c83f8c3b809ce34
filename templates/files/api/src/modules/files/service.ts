import { and, eq, isNull } from 'drizzle-orm';
import { files } from '../../db/schema/files.js';
import type { AppDeps } from '../../deps.js';
import { keyset, type SortField } from '../../lib/crud.js';
import { inScope, type Scope } from '../../lib/scope.js';
import { StorageError } from '../../lib/storage/storage.js';
import { drain, inspect } from './inspect.js';
import type { FilePart } from './multipart.js';
import { sanitizeFileName } from './names.js';

export type FileRow = typeof files.$inferSelect;
export type FileStatus = FileRow['status'];

/** How long a presigned upload URL stays valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;

/** The sort allowlist; add a field here to make it sortable. */
export const SORT_FIELDS: Record<'createdAt' | 'name', SortField<FileRow>> = {
  createdAt: {
    column: files.createdAt,
    toCursor: (f) => f.createdAt.getTime(),
    fromCursor: (v) => new Date(Number(v)),
  },
  name: { column: files.name, toCursor: (f) => f.name, fromCursor: String },
};

export interface ListOptions {
  limit: number;
  offset: number;
  cursor?: string;
  sort: string;
  status: FileStatus;
}

/** Why a presigned upload could not be confirmed. */
export type ConfirmRefusal = 'not_uploaded' | 'too_large';

type Deps = Pick<AppDeps, 'db' | 'storage' | 'logger'> & { env: Pick<AppDeps['env'], 'FILES_MAX_BYTES'> };

export const createFilesService = ({ db, storage, logger, env }: Deps) => {
  const maxBytes = env.FILES_MAX_BYTES;

  /** A file of this scope that is not being deleted, in the given status (any when omitted). */
  const find = async (scope: Scope, id: string, status?: FileStatus) => {
    const [row] = await db
      .select()
      .from(files)
      .where(and(inScope(files, scope), eq(files.id, id), isNull(files.deletedAt), status && eq(files.status, status)))
      .limit(1);
    return row;
  };

  /** Removes the object, then the row: a row never points to nothing while it is visible. */
  const discard = async (row: Pick<FileRow, 'id' | 'storageKey'>) => {
    await storage.delete(row.storageKey);
    await db.delete(files).where(eq(files.id, row.id));
  };

  return {
    get: (scope: Scope, id: string) => find(scope, id),

    /** Offset or cursor pagination; `nextCursor` is null on the last page. */
    async list(scope: Scope, options: ListOptions) {
      const page = keyset(SORT_FIELDS, files.id, options.sort, options.cursor);
      if (page.invalidCursor) return undefined;
      const rows = await db
        .select()
        .from(files)
        .where(and(inScope(files, scope), isNull(files.deletedAt), eq(files.status, options.status), page.after))
        .orderBy(...page.orderBy)
        .limit(options.limit + 1)
        .offset(options.cursor ? 0 : options.offset);
      const items = rows.slice(0, options.limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > options.limit && last ? page.nextCursor(last) : null };
    },

    /**
     * Streams an uploaded file into storage (sniffing, hashing and counting on the way), waits for the
     * rest of the form, then records it. Any failure removes the object: nothing is kept, no row is left.
     */
    async upload(scope: Scope, part: FilePart) {
      const inspected = await inspect(part.body, maxBytes);
      const object = await storage.put(inspected.stream, { contentType: inspected.contentType, maxBytes });
      try {
        await part.rest;
        const [row] = await db
          .insert(files)
          .values({
            ...scope,
            storageKey: object.key,
            name: sanitizeFileName(part.filename),
            contentType: inspected.contentType,
            ...inspected.digest(),
            status: 'ready',
          })
          .returning();
        return row as FileRow;
      } catch (err) {
        await storage.delete(object.key);
        throw err;
      }
    },

    /** A pending file and the URL its bytes go to; confirm it once they are there. */
    async requestUpload(scope: Scope, name: string) {
      const ticket = await storage.uploadUrl({ expiresInSeconds: UPLOAD_URL_SECONDS });
      const [row] = await db
        .insert(files)
        .values({ ...scope, storageKey: ticket.key, name: sanitizeFileName(name) })
        .returning();
      return { file: row as FileRow, ticket };
    },

    /**
     * Checks what the client uploaded to a presigned URL: reads it back once to enforce the size limit,
     * sniff the type and compute the checksum. Undefined: no such pending file. An object over the
     * limit is deleted with its row; a missing one leaves the file pending (the URL may still be used).
     */
    async confirm(scope: Scope, id: string): Promise<FileRow | ConfirmRefusal | undefined> {
      const row = await find(scope, id, 'pending');
      if (!row) return undefined;
      const object = await storage.get(row.storageKey);
      if (!object) return 'not_uploaded';
      let inspected: Awaited<ReturnType<typeof inspect>>;
      try {
        if (object.size > maxBytes) throw new StorageError('too_large', `file is larger than ${maxBytes} bytes`);
        inspected = await inspect(object.body, maxBytes);
        await drain(inspected.stream);
      } catch (err) {
        await object.body.cancel().catch(() => {});
        if (!(err instanceof StorageError && err.code === 'too_large')) throw err;
        await discard(row);
        return 'too_large';
      }
      const [ready] = await db
        .update(files)
        .set({ contentType: inspected.contentType, ...inspected.digest(), status: 'ready' })
        .where(and(eq(files.id, id), eq(files.status, 'pending'), isNull(files.deletedAt)))
        .returning();
      // Confirmed twice at once: the other call won, and its row is the answer.
      return ready ?? (await find(scope, id, 'ready'));
    },

    /** The bytes of a ready file, or undefined (no such file, or its object is gone or was replaced). */
    async content(scope: Scope, id: string) {
      const row = await find(scope, id, 'ready');
      if (!row) return undefined;
      const object = await storage.get(row.storageKey);
      if (!object) {
        logger.warn({ fileId: id }, 'files: object missing from storage');
        return undefined;
      }
      // A provider's upload URL takes uploads until it expires, confirmed or not: bytes of another
      // size than the confirmed ones (past FILES_MAX_BYTES, say) are not this file's.
      if (object.size !== row.size) {
        await object.body.cancel();
        logger.warn({ fileId: id }, 'files: stored object differs in size from the confirmed file');
        return undefined;
      }
      return { row, object };
    },

    /**
     * Hides the file at once, then removes its object and row. If storage fails half-way the row stays
     * hidden, marked deleted, and the weekly cleanup finishes the job. A pending file's upload URL
     * works until it expires, so its hidden row stays for the cleanup of unconfirmed uploads, which
     * removes whatever still arrived.
     */
    async remove(scope: Scope, id: string) {
      const [row] = await db
        .update(files)
        .set({ deletedAt: new Date() })
        .where(and(inScope(files, scope), eq(files.id, id), isNull(files.deletedAt)))
        .returning();
      if (!row) return false;
      if (row.status === 'pending') return true;
      await discard(row).catch((err: unknown) =>
        logger.warn({ err, fileId: id }, 'files: delete left for the weekly cleanup'),
      );
      return true;
    },
  };
};

export type FilesService = ReturnType<typeof createFilesService>;
