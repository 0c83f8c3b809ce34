import type { Db } from './client.js';

/** The handle a transaction body queries through: `db`'s query builders, bound to the transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * What a transaction body returns: `function* (tx) { const rows = yield* step(query); ... return value; }`.
 * The same body runs on PostgreSQL and on SQLite (whose src/db/transaction.ts has the same exports).
 */
export type TxSteps<T> = Generator<PromiseLike<unknown>, T, unknown>;

/**
 * Runs one statement of a transaction body and gives its rows; writes end in `.returning()`, so every
 * statement has rows to give. The body pauses here while `transaction` awaits the statement.
 */
export function* step<Row extends object>(query: PromiseLike<Row[]>): TxSteps<Row[]> {
  // `transaction` resumes the body with what this very query resolved to.
  return (yield query) as Row[];
}

/**
 * Runs `body` in one transaction on one pooled connection: every statement commits, or, when the body
 * throws or a statement fails, none does. A failed statement ends the body rather than being thrown
 * into it: PostgreSQL would refuse every later statement of that transaction anyway.
 */
export const transaction = <T>(db: Db, body: (tx: Tx) => TxSteps<T>): Promise<T> =>
  db.transaction(async (tx) => {
    const steps = body(tx);
    let next = steps.next();
    while (!next.done) next = steps.next(await next.value);
    return next.value;
  });
