import { count, eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.js';
import { createLogger } from '../lib/logger.js';
import { closeDb, createDb, type Db } from './client.js';
import { step, transaction } from './transaction.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

// Tables of this test only, so it does not depend on which modules the project has.
const gates = pgTable('tx_test_gates', { key: text('key').primaryKey() });
const counters = pgTable('tx_test_counters', { id: integer('id').primaryKey(), value: integer('value').notNull() });

describe('postgres transaction', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  const gateCount = async () => (await db.select({ n: count() }).from(gates))[0]?.n;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await createDb(database.env.DATABASE_URL, { logger, migrate: false });
    await db.$client.query(`
      create table tx_test_gates (key text primary key);
      create table tx_test_counters (id integer primary key, value integer not null);`);
  });
  afterAll(async () => {
    await closeDb(db);
    await database.drop();
  });
  beforeEach(async () => {
    await db.delete(gates);
    await db.delete(counters);
    await db.insert(counters).values({ id: 1, value: 0 });
  });

  /** Bumps the counter, but only for the transaction whose insert of `key` wins. */
  const gatedIncrement = (key: string) =>
    transaction(db, function* (tx) {
      const [won] = yield* step(tx.insert(gates).values({ key }).onConflictDoNothing().returning());
      if (!won) return false;
      yield* step(
        tx
          .update(counters)
          .set({ value: sql`${counters.value} + 1` })
          .where(eq(counters.id, 1))
          .returning(),
      );
      return true;
    });

  it('commits every statement and returns what the body returns', async () => {
    expect(await gatedIncrement('a')).toBe(true);
    expect(await gateCount()).toBe(1);
    expect(await db.select().from(counters)).toEqual([{ id: 1, value: 1 }]);
  });

  it('rolls every statement back when a later one fails', async () => {
    await db.insert(gates).values({ key: 'taken' });
    const attempt = transaction(db, function* (tx) {
      yield* step(tx.update(counters).set({ value: 99 }).where(eq(counters.id, 1)).returning());
      yield* step(tx.insert(gates).values({ key: 'taken' }).returning());
    });
    await expect(attempt).rejects.toThrow();
    expect(await db.select().from(counters)).toEqual([{ id: 1, value: 0 }]);
  });

  it('rolls back when the body throws, leaving the gate open', async () => {
    const attempt = transaction(db, function* (tx) {
      yield* step(tx.insert(gates).values({ key: 'b' }).returning());
      throw new Error('changed my mind');
    });
    await expect(attempt).rejects.toThrow('changed my mind');
    expect(await gateCount()).toBe(0);
    expect(await gatedIncrement('b')).toBe(true);
  });

  it('applies a gated effect exactly once for 20 concurrent transactions', async () => {
    // Each runs on its own pooled connection: the losers wait on the winner's uncommitted key, then do nothing.
    const results = await Promise.all(Array.from({ length: 20 }, () => gatedIncrement('once')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await db.select().from(counters)).toEqual([{ id: 1, value: 1 }]);
  });
});
