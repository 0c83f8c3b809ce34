import { boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * What a user has bought, one row per Stripe subscription (`sub_...`) or one-time checkout (`cs_...`).
 * Plan gates read only this table. `syncedAt` is when the state was read from Stripe: a write carrying
 * an older reading than the row's is dropped, so deliveries in any order end in the latest state.
 */
export const entitlements = pgTable(
  'entitlements',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    plan: text('plan').notNull(),
    priceId: text('price_id').notNull(),
    /** Stripe's subscription status; `active` for a paid one-time checkout. */
    status: text('status').notNull(),
    /** The end of the paid period; null for a one-time purchase, which does not end. */
    periodEnd: timestamp('period_end', { withTimezone: true }),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    cancelAt: timestamp('cancel_at', { withTimezone: true }),
    syncedAt: timestamp('synced_at', { withTimezone: true, precision: 3 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('entitlements_user_id_idx').on(t.userId)],
);
