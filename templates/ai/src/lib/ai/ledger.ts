import { randomUUID } from 'node:crypto';
import { type AnyColumn, and, count, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { aiUsage } from '../../db/schema/ai-usage.js';

export type LedgerRow = Omit<typeof aiUsage.$inferInsert, 'id' | 'createdAt'>;

const sum = (column: AnyColumn) => sql`coalesce(sum(${column}), 0)`.mapWith(Number);

const totals = {
  requests: count(),
  inputTokens: sum(aiUsage.inputTokens),
  cachedInputTokens: sum(aiUsage.cachedInputTokens),
  cacheWriteTokens: sum(aiUsage.cacheWriteTokens),
  outputTokens: sum(aiUsage.outputTokens),
  reasoningTokens: sum(aiUsage.reasoningTokens),
  costMicros: sum(aiUsage.costMicros),
};

/** The ai_usage table: one row per AI request, and the sums the usage endpoint reports. */
export const createLedger = (db: Db) => ({
  /**
   * Writes the request's row. Request ids may come from the client (X-Request-Id), so a repeated one
   * gets a suffix instead of losing the row.
   */
  record: async (row: LedgerRow): Promise<void> => {
    const inserted = await db.insert(aiUsage).values(row).onConflictDoNothing().returning({ id: aiUsage.id });
    if (inserted.length === 0)
      await db.insert(aiUsage).values({ ...row, requestId: `${row.requestId}:${randomUUID()}` });
  },

  /** One caller's totals since `since`. */
  totalsOf: async (userKey: string, since: Date) => {
    const [row] = await db
      .select(totals)
      .from(aiUsage)
      .where(and(eq(aiUsage.userKey, userKey), gte(aiUsage.createdAt, since)));
    // A sum over no rows is still one row.
    if (!row) throw new Error('ai_usage: the totals query returned no row');
    return row;
  },

  /** What one caller spent since `since`, in micro-dollars: what a budget starts from when the cache lost it. */
  costSince: async (userKey: string, since: Date): Promise<number> => {
    const [row] = await db
      .select({ costMicros: totals.costMicros })
      .from(aiUsage)
      .where(and(eq(aiUsage.userKey, userKey), gte(aiUsage.createdAt, since)));
    return row?.costMicros ?? 0;
  },

  /** Everyone's totals since `since`, per user and model, the most expensive first. */
  totalsByUserAndModel: (since: Date, limit = 500) =>
    db
      .select({ userKey: aiUsage.userKey, provider: aiUsage.provider, model: aiUsage.model, ...totals })
      .from(aiUsage)
      .where(gte(aiUsage.createdAt, since))
      .groupBy(aiUsage.userKey, aiUsage.provider, aiUsage.model)
      .orderBy(desc(totals.costMicros))
      .limit(limit),
});

export type Ledger = ReturnType<typeof createLedger>;
