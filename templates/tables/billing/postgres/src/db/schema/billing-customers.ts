import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * A user's Stripe customer, created once on their first checkout. `features` are the lookup keys of the
 * customer's active Stripe entitlements, written only by a sync newer than `featuresSyncedAt`.
 */
export const billingCustomers = pgTable('billing_customers', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  stripeCustomerId: text('stripe_customer_id').notNull().unique(),
  features: jsonb('features').$type<string[]>().notNull().default([]),
  featuresSyncedAt: timestamp('features_synced_at', { withTimezone: true, precision: 3 }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
