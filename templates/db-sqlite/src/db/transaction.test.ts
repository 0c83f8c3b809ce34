import { count, eq } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.js';
import { createLogger } from '../lib/logger.js';
import { closeDb, createDb, type Db } from './client.js';
import { step, transaction } from './transaction.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

// Tables of this test only, so it does not depend on which modules the project has.
const gates = sqliteTable('tx_test_gates', { key: text('key').primaryKey() });
const counters = sqliteTable('tx_test_counters', { id: integer('id').primaryKey(), value: integer('value').notNull() });

describe('sqlite transaction', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  const rowsIn = async (table: typeof gates | typeof counters) => (await db.select({ n: count() }).from(table))[0]?.n;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await createDb(database.env.DATABASE_URL, { logger, migrate: false });
    db.$client.exec(`
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

  it('commits every statement and returns what the body returns', async () => {
    const result = await transaction(db, function* (tx) {
      const [gate] = yield* step(tx.insert(gates).values({ key: 'a' }).returning());
      yield* step(tx.update(counters).set({ value: 1 }).where(eq(counters.id, 1)).returning());
      return gate?.key;
    });
    expect(result).toBe('a');
    expect(await rowsIn(gates)).toBe(1);
    expect(await db.select().from(counters)).toEqual([{ id: 1, value: 1 }]);
  });

  it('rolls every statement back when a later one fails', async () => {
    await db.insert(gates).values({ key: 'taken' });
    const attempt = transaction(db, function* (tx) {
      yield* step(tx.update(counters).set({ value: 99 }).where(eq(counters.id, 1)).returning());
      yield* step(tx.insert(gates).values({ key: 'taken' }).returning());
    });
    await expect(attempt).rejects.toThrow(/UNIQUE/);
    expect(await db.select().from(counters)).toEqual([{ id: 1, value: 0 }]);
  });

  it('rolls back when the body throws', async () => {
    const attempt = transaction(db, function* (tx) {
      yield* step(tx.insert(gates).values({ key: 'b' }).returning());
      throw new Error('changed my mind');
    });
    await expect(attempt).rejects.toThrow('changed my mind');
    expect(await rowsIn(gates)).toBe(0);
  });

  it('keeps statements of other requests out of a transaction that rolls back', async () => {
    // Queued first, so it runs the moment the transaction gives way: an async transaction would take
    // this write in, and lose it in the rollback.
    const other = Promise.resolve().then(() => db.insert(gates).values({ key: 'theirs' }));
    const failing = transaction(db, function* (tx) {
      for (const key of ['mine', 'mine too', 'mine as well']) yield* step(tx.insert(gates).values({ key }).returning());
      throw new Error('roll back');
    });
    await expect(failing).rejects.toThrow('roll back');
    await other;
    expect(await db.select().from(gates)).toEqual([{ key: 'theirs' }]);
  });

  it('applies a gated effect once for 20 attempts on two connections to the file', async () => {
    const second = await createDb(database.env.DATABASE_URL, { logger, migrate: false });
    const gatedIncrement = (on: Db) =>
      transaction(on, function* (tx) {
        const [won] = yield* step(tx.insert(gates).values({ key: 'once' }).onConflictDoNothing().returning());
        if (!won) return false;
        const [row] = yield* step(tx.select().from(counters).where(eq(counters.id, 1)));
        yield* step(
          tx
            .update(counters)
            .set({ value: (row?.value ?? 0) + 1 })
            .where(eq(counters.id, 1))
            .returning(),
        );
        return true;
      });
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => gatedIncrement(i % 2 ? second : db)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await db.select().from(counters)).toEqual([{ id: 1, value: 1 }]);
    } finally {
      await closeDb(second);
    }
  });
});
