import type { Db } from './client.js';

/** The handle a transaction body queries through: `db`'s query builders, bound to the transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * What a transaction body returns: `function* (tx) { const rows = yield* step(query); ... return value; }`.
 * The same body runs on SQLite and on PostgreSQL (whose src/db/transaction.ts has the same exports).
 */
export type TxSteps<T> = Generator<never, T, unknown>;

/**
 * Runs one statement of a transaction body and gives its rows; writes end in `.returning()`, so every
 * statement has rows to give. better-sqlite3 answers synchronously, so here the step never pauses.
 */
export function* step<Row extends object>(query: { all(): Row[] }): TxSteps<Row[]> {
  // Nothing to wait for: the body goes on without pausing (the PostgreSQL step pauses here).
  yield* [];
  return query.all();
}

/**
 * Runs `body` in one transaction: every statement commits, or, when the body throws (a failed statement
 * throws in it), none does. Let a failed statement end the body: on PostgreSQL it always does.
 * better-sqlite3 transactions are synchronous, and that is why bodies are generators: an `async` body
 * would give way at each `await`, and statements other requests make meanwhile on the shared
 * connection would land inside this transaction (and be rolled back with it). BEGIN IMMEDIATE takes
 * the write lock up front, so a second process on the same file (the worker) waits instead of failing
 * half-way.
 */
export const transaction = async <T>(db: Db, body: (tx: Tx) => TxSteps<T>): Promise<T> =>
  db.transaction((tx) => body(tx).next().value, { behavior: 'immediate' });
