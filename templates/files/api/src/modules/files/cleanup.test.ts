import { eq, inArray } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, skipReason } from '../../../test/helpers.js';
import { rowOwner } from '../../../test/scope.js';
import { createTestStorage } from '../../../test/storage.js';
import { runCleanup } from '../../cleanup.js';
import { files } from '../../db/schema/files.js';
import { purgeDeletedFiles, purgeStaleUploads } from './cleanup.js';

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

describe.skipIf(skipReason)('files cleanup', () => {
  let storage: Awaited<ReturnType<typeof createTestStorage>>;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  // A fresh database per test: the counts below are of every row.
  beforeEach(async () => {
    storage = await createTestStorage();
    t = await createTestApp(storage.env);
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  /** A file row; with `stored`, its object exists too. */
  const file = async (values: Partial<typeof files.$inferInsert>, stored = true) => {
    const key = stored
      ? (await t.deps.storage.put(new Blob(['bytes']).stream())).key
      : (await t.deps.storage.uploadUrl({ expiresInSeconds: 60 })).key;
    const [row] = await t.deps.db
      .insert(files)
      .values({ ...(await rowOwner(t.deps.db)), storageKey: key, name: 'f.bin', ...values })
      .returning();
    return { id: row?.id ?? '', key };
  };
  const remainingIds = async (ids: string[]) =>
    (await t.deps.db.select({ id: files.id }).from(files).where(inArray(files.id, ids))).map((r) => r.id).sort();

  it('removes presigned uploads never confirmed within the cutoff: object, then row', async () => {
    const stale = await file({ status: 'pending', createdAt: hoursAgo(25) });
    const neverSent = await file({ status: 'pending', createdAt: hoursAgo(48) }, false);
    const recent = await file({ status: 'pending', createdAt: hoursAgo(1) });
    const ready = await file({ status: 'ready', createdAt: hoursAgo(100) });

    expect(await purgeStaleUploads(t.deps, { olderThanHours: 24 })).toBe(2);
    expect(await remainingIds([stale.id, neverSent.id, recent.id, ready.id])).toEqual([recent.id, ready.id].sort());
    expect(await t.deps.storage.head(stale.key)).toBeNull();
    expect(await t.deps.storage.head(recent.key)).not.toBeNull();
    expect(await t.deps.storage.head(ready.key)).not.toBeNull();
    expect(await purgeStaleUploads(t.deps, { olderThanHours: 24 })).toBe(0);
  });

  it('finishes deletes that storage interrupted', async () => {
    const deleted = await file({ status: 'ready', deletedAt: hoursAgo(2) });
    const objectAlreadyGone = await file({ status: 'ready', deletedAt: new Date() }, false);
    const live = await file({ status: 'ready' });
    // Its upload URL may still bring bytes: purgeStaleUploads removes it once the URL is long expired.
    const deletedPending = await file({ status: 'pending', deletedAt: new Date() });

    expect(await purgeDeletedFiles(t.deps)).toBe(2);
    expect(await remainingIds([deleted.id, objectAlreadyGone.id, live.id, deletedPending.id])).toEqual(
      [live.id, deletedPending.id].sort(),
    );
    expect(await t.deps.storage.head(deleted.key)).toBeNull();
    expect(await t.deps.storage.head(live.key)).not.toBeNull();
  });

  it('keeps a row whose object could not be removed, for the next run', async () => {
    const deleted = await file({ status: 'ready', deletedAt: new Date() });
    const failing = {
      ...t.deps,
      storage: { ...t.deps.storage, delete: () => Promise.reject(new Error('storage down')) },
    };
    await expect(purgeDeletedFiles(failing)).rejects.toThrow('storage down');
    expect(await t.deps.db.select().from(files).where(eq(files.id, deleted.id))).toHaveLength(1);
  });

  it('runs as part of the cleanup', async () => {
    await file({ status: 'pending', createdAt: hoursAgo(30) });
    await file({ status: 'ready', deletedAt: new Date() });
    const { removed } = await runCleanup(t.deps);
    expect(removed).toMatchObject({ 'unconfirmed uploads': 1, 'deleted files': 1 });
  });
});
