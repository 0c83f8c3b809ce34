import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * How much of each plan limit a user has used: one row per limit and period (`all` for what a user has,
 * like projects; a UTC month, `2025-06`, for what a user uses up and gets back each month).
 */
export const planUsage = sqliteTable(
  'plan_usage',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    period: text('period').notNull(),
    used: integer('used').notNull().default(0),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
  },
  (t) => [primaryKey({ columns: [t.userId, t.name, t.period] })],
);
