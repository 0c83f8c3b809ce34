import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/** Who did what to whom, for every admin action. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    actorId: text('actor_id')
      .notNull()
      .references(() => users.id),
    /** e.g. `user.update` */
    action: text('action').notNull(),
    /** e.g. `user:<id>` */
    target: text('target').notNull(),
    /** What changed, as JSON. */
    details: text('details', { mode: 'json' }),
    requestId: text('request_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
  },
  (t) => [index('audit_log_created_at_idx').on(t.createdAt)],
);
