import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One row per AI request: what it cost and how it went. `cost_micros` is in millionths of a US dollar,
 * an integer, so sums never drift. `estimated` marks a cost charged from an estimate (a stream aborted
 * before the provider reported its usage).
 */
export const aiUsage = sqliteTable(
  'ai_usage',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    requestId: text('request_id').notNull().unique(),
    /** The user's id, or the client address when the project has no auth. */
    userKey: text('user_key').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens').notNull().default(0),
    cachedInputTokens: integer('cached_input_tokens').notNull().default(0),
    cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    reasoningTokens: integer('reasoning_tokens').notNull().default(0),
    costMicros: integer('cost_micros').notNull().default(0),
    status: text('status', { enum: ['completed', 'aborted', 'error'] }).notNull(),
    estimated: integer('estimated', { mode: 'boolean' }).notNull().default(false),
    timeToFirstTokenMs: integer('time_to_first_token_ms'),
    latencyMs: integer('latency_ms').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
  },
  (t) => [
    index('ai_usage_user_created_at_idx').on(t.userKey, t.createdAt),
    index('ai_usage_created_at_idx').on(t.createdAt),
  ],
);
