import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { billingCustomers } from '../../db/schema/billing-customers.js';
import { entitlements } from '../../db/schema/entitlements.js';
import { FEATURES, type Feature, PLANS, type PlanId } from './plans.js';

/**
 * Whether a Stripe subscription status grants its plan. past_due keeps access while Stripe retries the
 * payment; unpaid, paused and the ended or never-paid states do not. A status Stripe adds later grants
 * nothing until it is listed here.
 */
export const STATUS_GRANTS: Record<string, boolean> = {
  trialing: true,
  active: true,
  past_due: true,
  unpaid: false,
  paused: false,
  canceled: false,
  incomplete: false,
  incomplete_expired: false,
};

export type Entitlement = typeof entitlements.$inferSelect;

export interface BillingState {
  plan: PlanId;
  /** The subscription or purchase behind the plan (or the latest one, when none grants anything). */
  current: Entitlement | undefined;
  features: Feature[];
}

const isPlan = (plan: string): plan is PlanId => plan in PLANS;
const isFeature = (key: string): key is Feature => (FEATURES as readonly string[]).includes(key);

/** The user's plan and features, from local state only: no Stripe call on the request path. */
export const billingStateOf = async (db: Db, userId: string): Promise<BillingState> => {
  const rows = await db.select().from(entitlements).where(eq(entitlements.userId, userId));
  const [customer] = await db
    .select({ features: billingCustomers.features })
    .from(billingCustomers)
    .where(eq(billingCustomers.userId, userId));
  const rank = (row: Entitlement) => (isPlan(row.plan) ? PLANS[row.plan].rank : -1);
  const granting = rows.filter((row) => STATUS_GRANTS[row.status] && isPlan(row.plan));
  const best = granting.sort((a, b) => rank(b) - rank(a))[0];
  const latest = [...rows].sort((a, b) => b.syncedAt.getTime() - a.syncedAt.getTime())[0];
  const plan = best && isPlan(best.plan) ? best.plan : 'free';
  // Features of the plan, and those Stripe Entitlements grants the customer on top.
  const features = new Set<Feature>([...PLANS[plan].features, ...(customer?.features ?? []).filter(isFeature)]);
  return { plan, current: best ?? latest, features: [...features] };
};
