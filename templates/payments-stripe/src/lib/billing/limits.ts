import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { planUsage } from '../../db/schema/plan-usage.js';
import { cheapestPlanAllowing, LIMITS, type LimitName, PLANS, type PlanId } from './plans.js';
import { billingStateOf } from './state.js';

/** A refused take: what the user's plan allows, what they have used, and the plan that would allow it. */
export interface OverLimit {
  limit: LimitName;
  plan: PlanId;
  allowed: number;
  used: number;
  upgrade: PlanId | undefined;
}

/** The counter's period at `now`: `all`, or the UTC month (`2025-06`), so a monthly counter starts at 0. */
const periodOf = (limit: LimitName, now: Date) =>
  LIMITS[limit].period === 'all' ? 'all' : now.toISOString().slice(0, 7);

/**
 * Counters of what each user has used of their plan's limits, one row per limit and period. A take is
 * one conditional UPDATE (`used + amount <= allowed`), so concurrent requests cannot all slip under the
 * limit; the plan is read from local state, never from Stripe. Counting goes on while a plan has no
 * limit or `enforce` is off, so a later downgrade (or turning it back on) finds the true number.
 */
export const createLimits = (db: Db, { enforce = true, now = () => new Date() } = {}) => {
  const rowOf = (userId: string, limit: LimitName, period: string) =>
    and(eq(planUsage.userId, userId), eq(planUsage.name, limit), eq(planUsage.period, period));

  return {
    /**
     * Takes `amount` of `limit` for the user, or says why not. `count` gives what the user already has
     * when the counter does not exist yet (projects made before billing was added, say).
     */
    async take(
      userId: string,
      limit: LimitName,
      amount: number,
      count: () => Promise<number> = async () => 0,
    ): Promise<{ ok: true } | ({ ok: false } & OverLimit)> {
      const period = periodOf(limit, now());
      const row = rowOf(userId, limit, period);
      const [known] = await db.select({ used: planUsage.used }).from(planUsage).where(row);
      if (!known) {
        const used = await count();
        await db.insert(planUsage).values({ userId, name: limit, period, used }).onConflictDoNothing();
      }
      const { plan } = await billingStateOf(db, userId);
      const allowed: number | null = enforce ? PLANS[plan].limits[limit] : null;
      const [taken] = await db
        .update(planUsage)
        .set({ used: sql`${planUsage.used} + ${amount}`, updatedAt: now() })
        .where(allowed === null ? row : and(row, sql`${planUsage.used} + ${amount} <= ${allowed}`))
        .returning({ used: planUsage.used });
      if (taken || allowed === null) return { ok: true };
      const [current] = await db.select({ used: planUsage.used }).from(planUsage).where(row);
      const used = current?.used ?? 0;
      return { ok: false, limit, plan, allowed, used, upgrade: cheapestPlanAllowing(limit, used + amount, plan) };
    },

    /** Gives `amount` back (a deleted project, a create that failed after its take); never below 0. */
    async give(userId: string, limit: LimitName, amount: number) {
      await db
        .update(planUsage)
        .set({
          used: sql`case when ${planUsage.used} > ${amount} then ${planUsage.used} - ${amount} else 0 end`,
          updatedAt: now(),
        })
        .where(rowOf(userId, limit, periodOf(limit, now())))
        .returning({ used: planUsage.used });
    },

    /** What the user has used of `limit` in the current period. */
    async used(userId: string, limit: LimitName) {
      const [row] = await db
        .select({ used: planUsage.used })
        .from(planUsage)
        .where(rowOf(userId, limit, periodOf(limit, now())));
      return row?.used ?? 0;
    },
  };
};

export type Limits = ReturnType<typeof createLimits>;
