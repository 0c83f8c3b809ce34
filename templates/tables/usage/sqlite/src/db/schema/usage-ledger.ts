import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Metered usage, one row per caller, metric and UTC hour: requests add to their hour's row in batches,
 * so the table grows with callers and hours, not with requests. `user_key` is the user's id, or
 * `anonymous` for requests nobody signed.
 */
export const usageLedger = sqliteTable(
  'usage_ledger',
  {
    userKey: text('user_key').notNull(),
    metric: text('metric').notNull(),
    hour: integer('hour', { mode: 'timestamp_ms' }).notNull(),
    quantity: integer('quantity').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userKey, t.metric, t.hour] }), index('usage_ledger_hour_idx').on(t.hour)],
);
