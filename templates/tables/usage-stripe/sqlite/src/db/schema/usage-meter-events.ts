import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The hours of the usage ledger sent to Stripe as meter events, one row per user, metric and hour.
 * `identifier` is the event's id at Stripe, made from customer, meter and hour, so a resend is a duplicate.
 */
export const usageMeterEvents = sqliteTable(
  'usage_meter_events',
  {
    userKey: text('user_key').notNull(),
    metric: text('metric').notNull(),
    hour: integer('hour', { mode: 'timestamp_ms' }).notNull(),
    eventName: text('event_name').notNull(),
    stripeCustomerId: text('stripe_customer_id').notNull(),
    identifier: text('identifier').notNull().unique(),
    value: integer('value').notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
  },
  (t) => [primaryKey({ columns: [t.userKey, t.metric, t.hour] })],
);
