import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { usageLedger } from '../../db/schema/usage-ledger.js';
import type { Logger } from '../logger.js';

/** Whose usage it was when nobody signed the request (and every request of a project without users). */
export const ANONYMOUS = 'anonymous';

/** Whose usage the app's own work is (emails sent, jobs run), whoever it was for. */
export const SYSTEM = 'system';

const HOUR_MS = 3_600_000;

/** The UTC hour `at` falls in: the ledger's bucket. */
export const hourOf = (at: Date): Date => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);

/** Rows per insert: well under the bound parameters SQLite and Postgres take in one statement. */
const ROWS_PER_INSERT = 500;

/** Distinct (caller, metric, hour) counters held before a flush starts early, so memory stays bounded. */
const MAX_PENDING = 10_000;

interface Pending {
  userKey: string;
  metric: string;
  hour: Date;
  quantity: number;
}

export interface UsageOptions {
  /** How often counters are written to the ledger. */
  flushMs: number;
  now?: () => Date;
}

/**
 * Metering off the request path: `record` only adds to a counter in memory; every `flushMs` (and on
 * close) the counters are written to the ledger as upserts adding to their hour's row, a few statements
 * per batch whatever the number of requests. A failed flush keeps its counters for the next one.
 */
export const createUsage = (db: Db, logger: Logger, { flushMs, now = () => new Date() }: UsageOptions) => {
  let pending = new Map<string, Pending>();
  // Flushes run one after another, so a slow one never races the next over the same rows.
  let flushing: Promise<void> = Promise.resolve();

  const write = async (rows: Pending[]) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      await db
        .insert(usageLedger)
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .onConflictDoUpdate({
          target: [usageLedger.userKey, usageLedger.metric, usageLedger.hour],
          set: { quantity: sql`${usageLedger.quantity} + excluded.quantity` },
        });
    }
  };

  const putBack = (batch: Map<string, Pending>) => {
    for (const [key, row] of batch) {
      const known = pending.get(key);
      if (known) known.quantity += row.quantity;
      else pending.set(key, row);
    }
  };

  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      if (pending.size === 0) return;
      const batch = pending;
      pending = new Map();
      try {
        await write([...batch.values()]);
      } catch (err) {
        putBack(batch);
        logger.error({ err, counters: batch.size }, 'usage: flush failed; kept for the next one');
      }
    });
    return flushing;
  };

  const timer = setInterval(() => void flush(), flushMs);
  // The timer alone never keeps the process alive: shutdown flushes through close().
  timer.unref();

  return {
    /** Adds `quantity` (a positive integer) of `metric` to `userKey`'s current hour; written at the next flush. */
    record(userKey: string, metric: string, quantity = 1) {
      if (!Number.isSafeInteger(quantity) || quantity <= 0) return;
      const hour = hourOf(now());
      const key = `${userKey}\n${metric}\n${hour.getTime()}`;
      const known = pending.get(key);
      if (known) known.quantity += quantity;
      else pending.set(key, { userKey, metric, hour, quantity });
      if (pending.size >= MAX_PENDING) void flush();
    },
    /** Writes what has been recorded so far. */
    flush,
    /** Stops the timer and writes what is left: on shutdown, after requests have drained. */
    async close() {
      clearInterval(timer);
      await flush();
      if (pending.size > 0) logger.error({ counters: pending.size }, 'usage: counters lost at shutdown');
    },
  };
};

export type Usage = ReturnType<typeof createUsage>;
