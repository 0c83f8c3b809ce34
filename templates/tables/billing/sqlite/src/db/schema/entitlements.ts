import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * What a user has bought, one row per Stripe subscription (`sub_...`) or one-time checkout (`cs_...`).
 * Plan gates read only this table. `syncedAt` is when the state was read from Stripe: a write carrying
 * an older reading than the row's is dropped, so deliveries in any order end in the latest state.
 */
export const entitlements = sqliteTable(
  'entitlements',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    plan: text('plan').notNull(),
    priceId: text('price_id').notNull(),
    /** Stripe's subscription status; `active` for a paid one-time checkout. */
    status: text('status').notNull(),
    /** The end of the paid period; null for a one-time purchase, which does not end. */
    periodEnd: integer('period_end', { mode: 'timestamp_ms' }),
    cancelAtPeriodEnd: integer('cancel_at_period_end', { mode: 'boolean' }).notNull().default(false),
    cancelAt: integer('cancel_at', { mode: 'timestamp_ms' }),
    syncedAt: integer('synced_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
  },
  (t) => [index('entitlements_user_id_idx').on(t.userId)],
);
