import { bigint, boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per AI request: what it cost and how it went. `cost_micros` is in millionths of a US dollar,
 * an integer, so sums never drift. `estimated` marks a cost charged from an estimate (a stream aborted
 * before the provider reported its usage).
 */
export const aiUsage = pgTable(
  'ai_usage',
  {
    id: uuid('id').primaryKey().defaultRandom(),
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
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull().default(0),
    status: text('status', { enum: ['completed', 'aborted', 'error'] }).notNull(),
    estimated: boolean('estimated').notNull().default(false),
    timeToFirstTokenMs: integer('time_to_first_token_ms'),
    latencyMs: integer('latency_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ai_usage_user_created_at_idx').on(t.userKey, t.createdAt),
    index('ai_usage_created_at_idx').on(t.createdAt),
  ],
);
