import type { Cache } from '../cache.js';

export type BudgetPeriod = 'day' | 'month';

export const usdToMicros = (usd: number): number => Math.round(usd * 1_000_000);

/** The UTC day or month holding `now`: its id (2025-06-01, 2025-06) and when the next one starts. */
export const periodOf = (period: BudgetPeriod, now: Date): { id: string; resetAt: Date } => {
  const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
  return period === 'day'
    ? { id: now.toISOString().slice(0, 10), resetAt: new Date(Date.UTC(y, m, d + 1)) }
    : { id: now.toISOString().slice(0, 7), resetAt: new Date(Date.UTC(y, m + 1, 1)) };
};

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
 * Per-user spending limits per UTC day and month, in integer micro-dollars. A request reserves its
 * worst case before calling (the cache adds it only if the total stays within the limit, in one
 * atomic step, so parallel requests cannot all slip under it), then settles with the real cost, or
 * releases the reservation when it failed before costing anything.
 */
export const createBudget = ({
  cache,
  dailyUsd,
  monthlyUsd,
}: {
  cache: Cache;
  dailyUsd: number;
  monthlyUsd: number;
}) => {
  const limits: [BudgetPeriod, number][] = [
    ['day', usdToMicros(dailyUsd)],
    ['month', usdToMicros(monthlyUsd)],
  ];
  const keyOf = (period: BudgetPeriod, id: string, user: string) => `ai:budget:${period}:${id}:${user}`;

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
        const { id, resetAt } = periodOf(period, now);
        const key = keyOf(period, id, user);
        const windowMs = resetAt.getTime() - now.getTime() + GRACE_MS;
        const total = await cache.incrementBy(key, micros, windowMs, limitMicros);
        if (!total.applied) {
          await settle(reservation, 0); // give back what the other period already holds
          return { ok: false, period, limitMicros, spentMicros: total.total, resetAt };
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
          const { id, resetAt } = periodOf(period, now);
          const spentMicros = (await cache.get<number>(keyOf(period, id, user))) ?? 0;
          return { period, spentMicros, limitMicros, resetAt };
        }),
      ),
  };
};

export type Budget = ReturnType<typeof createBudget>;
