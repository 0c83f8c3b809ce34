import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * Uploaded files; the bytes live in storage under `storageKey`. A presigned upload is `pending` until
 * confirmed (size, type and checksum unknown until then). `deletedAt` marks a file being deleted:
 * hidden at once, its object and row removed right after, or by the cleanup if that failed.
 */
export const files = sqliteTable(
  'files',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    // restrict, not cascade: deleting a user must delete their objects in storage first, or they are orphaned.
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    storageKey: text('storage_key').notNull().unique(),
    /** The client's file name, cleaned (no path parts or control characters); only used for downloads. */
    name: text('name').notNull(),
    size: integer('size'),
    /** Sniffed from the bytes, never taken from the client. */
    contentType: text('content_type'),
    /** Hex SHA-256 of the bytes. */
    sha256: text('sha256'),
    status: text('status', { enum: ['pending', 'ready'] })
      .notNull()
      .default('pending'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('files_owner_created_at_idx').on(t.ownerId, t.createdAt),
    index('files_status_created_at_idx').on(t.status, t.createdAt),
  ],
);
