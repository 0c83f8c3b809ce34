import type { Cache } from '../cache.js';

export type BudgetPeriod = 'day' | 'month';

export const usdToMicros = (usd: number): number => Math.round(usd * 1_000_000);

/** The UTC day or month holding `now`: its id (2025-06-01, 2025-06), when it started and when the next one starts. */
export const periodOf = (period: BudgetPeriod, now: Date): { id: string; startsAt: Date; resetAt: Date } => {
  const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
  return period === 'day'
    ? {
        id: now.toISOString().slice(0, 10),
        startsAt: new Date(Date.UTC(y, m, d)),
        resetAt: new Date(Date.UTC(y, m, d + 1)),
      }
    : {
        id: now.toISOString().slice(0, 7),
        startsAt: new Date(Date.UTC(y, m, 1)),
        resetAt: new Date(Date.UTC(y, m + 1, 1)),
      };
};

/** The cache key of one caller's total for one period. */
export const budgetKey = (period: BudgetPeriod, id: string, user: string) => `ai:budget:${period}:${id}:${user}`;

/** What a request holds until it settles: its worst case, added to each period's total. */
export interface Reservation {
  micros: number;
  held: { key: string; windowMs: number }[];
}

export type ReserveResult =
  | { ok: true; reservation: Reservation }
  | { ok: false; period: BudgetPeriod; limitMicros: number; spentMicros: number; resetAt: Date };

export interface PeriodUsage {
  period: BudgetPeriod;
  /** Settled costs plus what requests under way hold. */
  spentMicros: number;
  /** 0: no budget for this period. */
  limitMicros: number;
  resetAt: Date;
}

// Totals outlive their period by a day, so a request that settles after midnight still finds its own.
const GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * A total the ledger has seeded holds SEEDED plus what was spent, so "seeded" and "spent nothing" differ.
 * A total below half of it is missing (evicted, expired, a restart) or holds only stray settlements.
 */
const SEEDED = 2 ** 50;
const UNSEEDED_BELOW = SEEDED / 2;

/**
 * Per-user spending limits per UTC day and month, in integer micro-dollars. A request reserves its
 * worst case before calling (the cache adds it only if the total stays within the limit, in one
 * atomic step, so parallel requests cannot all slip under it), then settles with the real cost, or
 * releases the reservation when it failed before costing anything.
 *
 * The ai_usage ledger is the source of truth: a total missing from the cache (an evicted key, a
 * restart of the memory cache, Redis under `allkeys-lru`) starts again from what the ledger says was
 * spent in the period (`spentSince`). Only what requests under way held at that moment is lost.
 */
export const createBudget = ({
  cache,
  dailyUsd,
  monthlyUsd,
  spentSince,
}: {
  cache: Cache;
  dailyUsd: number;
  monthlyUsd: number;
  /** What the ledger says `user` spent since `since`, in micro-dollars. */
  spentSince: (user: string, since: Date) => Promise<number>;
}) => {
  const limits: [BudgetPeriod, number][] = [
    ['day', usdToMicros(dailyUsd)],
    ['month', usdToMicros(monthlyUsd)],
  ];

  const windowOf = (period: BudgetPeriod, now: Date) => {
    const { id, startsAt, resetAt } = periodOf(period, now);
    return { id, startsAt, resetAt, windowMs: resetAt.getTime() - now.getTime() + GRACE_MS };
  };

  /**
   * Adds the ledger's total to a missing one, once: the max lets the seed through only while the total
   * is below UNSEEDED_BELOW, so of parallel requests that all found it missing only the first seeds it.
   */
  const seed = async (key: string, user: string, startsAt: Date, windowMs: number): Promise<number> => {
    const amount = SEEDED + (await spentSince(user, startsAt));
    const seeded = await cache.incrementBy(key, amount, windowMs, amount + UNSEEDED_BELOW - 1);
    return seeded.total;
  };

  const settle = async (reservation: Reservation, realMicros: number): Promise<void> => {
    const delta = realMicros - reservation.micros;
    if (delta === 0) return;
    // No max: a cost above the estimate was spent all the same, and must count.
    await Promise.all(reservation.held.map(({ key, windowMs }) => cache.incrementBy(key, delta, windowMs)));
  };

  return {
    reserve: async (user: string, micros: number, now = new Date()): Promise<ReserveResult> => {
      const reservation: Reservation = { micros, held: [] };
      for (const [period, limitMicros] of limits) {
        if (limitMicros === 0) continue;
        const { id, startsAt, resetAt, windowMs } = windowOf(period, now);
        const key = budgetKey(period, id, user);
        let { total, applied } = await cache.incrementBy(key, micros, windowMs, SEEDED + limitMicros);
        if (applied && total < UNSEEDED_BELOW) {
          // The total was missing, so nothing checked that reservation: seed the total from the ledger,
          // then take the reservation back and make it again, checked against what was spent.
          try {
            await seed(key, user, startsAt, windowMs);
          } catch (err) {
            await settle({ micros, held: [...reservation.held, { key, windowMs }] }, 0);
            throw err;
          }
          await cache.incrementBy(key, -micros, windowMs);
          ({ total, applied } = await cache.incrementBy(key, micros, windowMs, SEEDED + limitMicros));
        }
        if (!applied) {
          await settle(reservation, 0); // give back what the other period already holds
          return { ok: false, period, limitMicros, spentMicros: Math.max(0, total - SEEDED), resetAt };
        }
        reservation.held.push({ key, windowMs });
      }
      return { ok: true, reservation };
    },

    /** Replaces the reservation with the real cost. */
    settle,

    /** Gives the whole reservation back: the request failed before costing anything. */
    release: (reservation: Reservation): Promise<void> => settle(reservation, 0),

    usage: async (user: string, now = new Date()): Promise<PeriodUsage[]> =>
      Promise.all(
        limits.map(async ([period, limitMicros]) => {
          const { id, startsAt, resetAt, windowMs } = windowOf(period, now);
          // No budget for the period: no total is kept.
          if (limitMicros === 0) return { period, spentMicros: 0, limitMicros, resetAt };
          const key = budgetKey(period, id, user);
          let total = (await cache.get<number>(key)) ?? 0;
          if (total < UNSEEDED_BELOW) total = await seed(key, user, startsAt, windowMs);
          return { period, spentMicros: Math.max(0, total - SEEDED), limitMicros, resetAt };
        }),
      ),
  };
};

export type Budget = ReturnType<typeof createBudget>;
