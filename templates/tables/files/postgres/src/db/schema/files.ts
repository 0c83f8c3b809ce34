import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Uploaded files; the bytes live in storage under `storageKey`. A presigned upload is `pending` until
 * confirmed (size, type and checksum unknown until then). `deletedAt` marks a file being deleted:
 * hidden at once, its object and row removed right after, or by the cleanup if that failed.
 */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storageKey: text('storage_key').notNull().unique(),
    /** The client's file name, cleaned (no path parts or control characters); only used for downloads. */
    name: text('name').notNull(),
    size: bigint('size', { mode: 'number' }),
    /** Sniffed from the bytes, never taken from the client. */
    contentType: text('content_type'),
    /** Hex SHA-256 of the bytes. */
    sha256: text('sha256'),
    status: text('status', { enum: ['pending', 'ready'] })
      .notNull()
      .default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('files_created_at_idx').on(t.createdAt),
    index('files_status_created_at_idx').on(t.status, t.createdAt),
  ],
);
