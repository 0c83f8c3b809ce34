import { and, eq, isNotNull, lt, type SQL } from 'drizzle-orm';
import { files } from '../../db/schema/files.js';
import type { AppDeps } from '../../deps.js';

type Deps = Pick<AppDeps, 'db' | 'storage'>;

/** Rows per round trip; a run goes on until nothing matches. */
const BATCH = 500;

/** Removes each matching file's object, then its row. A storage failure stops the run; the next one resumes. */
const purge = async ({ db, storage }: Deps, where: SQL | undefined) => {
  let removed = 0;
  for (;;) {
    const rows = await db.select({ id: files.id, storageKey: files.storageKey }).from(files).where(where).limit(BATCH);
    for (const row of rows) {
      await storage.delete(row.storageKey);
      await db.delete(files).where(eq(files.id, row.id));
    }
    removed += rows.length;
    if (rows.length < BATCH) return removed;
  }
};

/** Presigned uploads never confirmed, deleted or not: their URL expired long ago, whatever was sent goes. */
export const purgeStaleUploads = (deps: Deps, { olderThanHours }: { olderThanHours: number }) =>
  purge(deps, and(eq(files.status, 'pending'), lt(files.createdAt, new Date(Date.now() - olderThanHours * 3_600_000))));

/**
 * Files whose delete stopped half-way (storage was down): finish removing object and row. Deleted
 * pending files wait for purgeStaleUploads: their upload URL may still bring bytes.
 */
export const purgeDeletedFiles = (deps: Deps) =>
  purge(deps, and(isNotNull(files.deletedAt), eq(files.status, 'ready')));
