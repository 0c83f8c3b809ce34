import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { usageLedger } from '../../db/schema/usage-ledger.js';

const DAY_MS = 86_400_000;

/** The start of the UTC day `days - 1` days before `now`: a window of `days` days, today included. */
export const windowStart = (now: Date, days: number) =>
  new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (days - 1) * DAY_MS);

/** The sum of the rows' quantities, as a number (Postgres answers bigint sums as strings). */
const quantity = () => sql<number>`sum(${usageLedger.quantity})`.mapWith(Number);

/**
 * Totals per metric and a daily trend over the last `days` UTC days, for one caller (`userKey`) or,
 * without one, for everyone. Summed per hour in SQL, then per day here: the rows are at most 24 per
 * day and metric.
 */
export const usageReport = async (db: Db, { userKey, days, now }: { userKey?: string; days: number; now: Date }) => {
  const from = windowStart(now, days);
  const inWindow = gte(usageLedger.hour, from);
  const hours = await db
    .select({ hour: usageLedger.hour, metric: usageLedger.metric, quantity: quantity() })
    .from(usageLedger)
    .where(userKey === undefined ? inWindow : and(eq(usageLedger.userKey, userKey), inWindow))
    .groupBy(usageLedger.hour, usageLedger.metric);
  const totals = new Map<string, number>();
  const daily = new Map<string, { date: string; metric: string; quantity: number }>();
  for (const row of hours) {
    const { metric } = row;
    totals.set(metric, (totals.get(metric) ?? 0) + row.quantity);
    const date = row.hour.toISOString().slice(0, 10);
    const day = daily.get(`${date} ${metric}`) ?? { date, metric, quantity: 0 };
    day.quantity += row.quantity;
    daily.set(`${date} ${metric}`, day);
  }
  const byName = <T extends { metric: string }>(a: T, b: T) => a.metric.localeCompare(b.metric);
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    totals: [...totals].map(([metric, quantity]) => ({ metric, quantity })).sort(byName),
    daily: [...daily.values()].sort((a, b) => a.date.localeCompare(b.date) || byName(a, b)),
  };
};
