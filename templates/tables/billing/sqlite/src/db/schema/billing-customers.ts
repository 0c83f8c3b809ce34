import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * A user's Stripe customer, created once on their first checkout. `features` are the lookup keys of the
 * customer's active Stripe entitlements, written only by a sync newer than `featuresSyncedAt`.
 */
export const billingCustomers = sqliteTable('billing_customers', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  stripeCustomerId: text('stripe_customer_id').notNull().unique(),
  features: text('features', { mode: 'json' }).$type<string[]>().notNull().default([]),
  featuresSyncedAt: integer('features_synced_at', { mode: 'timestamp_ms' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
});
