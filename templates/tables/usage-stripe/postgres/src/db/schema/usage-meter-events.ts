import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The hours of the usage ledger sent to Stripe as meter events, one row per user, metric and hour.
 * `identifier` is the event's id at Stripe, made from customer, meter and hour, so a resend is a duplicate.
 */
export const usageMeterEvents = pgTable(
  'usage_meter_events',
  {
    userKey: text('user_key').notNull(),
    metric: text('metric').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    eventName: text('event_name').notNull(),
    stripeCustomerId: text('stripe_customer_id').notNull(),
    identifier: text('identifier').notNull().unique(),
    value: bigint('value', { mode: 'number' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userKey, t.metric, t.hour] })],
);
