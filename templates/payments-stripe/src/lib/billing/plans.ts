import type { Env } from '../../env.js';

/** Everything a plan can unlock: `can(user, 'exports')` compiles only with one of these. */
export const FEATURES = ['exports', 'api-access', 'priority-support', 'sso'] as const;
export type Feature = (typeof FEATURES)[number];

export interface Plan {
  name: string;
  /** A higher rank includes the lower ones: requirePlan('pro') lets enterprise through. */
  rank: number;
  features: readonly Feature[];
  /** What a user of the plan may have or use at most (src/lib/billing/limits.ts); null is no limit. */
  limits: { projects: number | null };
}

export type LimitName = keyof Plan['limits'];

/**
 * How each limit counts: `all`, what a user has at once (projects: deleting one gives it back); `month`,
 * what a user uses up in a UTC month and gets back when the next one starts.
 */
export const LIMIT_PERIODS: Record<LimitName, 'all' | 'month'> = { projects: 'all' };

/** The plans, in one place: change names, features and limits here. */
export const PLANS = {
  free: { name: 'Free', rank: 0, features: [], limits: { projects: 3 } },
  pro: { name: 'Pro', rank: 1, features: ['exports', 'api-access'], limits: { projects: 100 } },
  enterprise: {
    name: 'Enterprise',
    rank: 2,
    features: ['exports', 'api-access', 'priority-support', 'sso'],
    limits: { projects: null },
  },
} as const satisfies Record<string, Plan>;

export type PlanId = keyof typeof PLANS;
export type PaidPlanId = Exclude<PlanId, 'free'>;

export const PLAN_IDS = Object.keys(PLANS) as PlanId[];

/** A Stripe price that buys a plan: monthly or yearly (`subscription`), or once for good (`payment`). */
export interface PlanPrice {
  plan: PaidPlanId;
  priceId: string;
  mode: 'subscription' | 'payment';
}

/**
 * Which Stripe price buys which plan; the price ids come from the environment, so test and live differ.
 * A plan may have several subscription prices (monthly, yearly, one no longer sold): checkout by plan
 * sells the first, and every one of them grants the plan.
 */
export const planPrices = (env: Env): PlanPrice[] => {
  const prices: [PaidPlanId, readonly string[] | undefined, PlanPrice['mode']][] = [
    ['pro', env.STRIPE_PRICE_PRO, 'subscription'],
    ['pro', env.STRIPE_PRICE_PRO_LIFETIME === undefined ? undefined : [env.STRIPE_PRICE_PRO_LIFETIME], 'payment'],
    ['enterprise', env.STRIPE_PRICE_ENTERPRISE, 'subscription'],
  ];
  return prices.flatMap(([plan, ids = [], mode]) => ids.map((priceId) => ({ plan, priceId, mode })));
};

/** The cheapest plan that includes `feature`. */
export const cheapestPlanWith = (feature: Feature): PlanId =>
  PLAN_IDS.find((id) => (PLANS[id].features as readonly Feature[]).includes(feature)) ?? 'enterprise';

/** The cheapest plan above `from` that allows `needed` of `limit`, or undefined when none does. */
export const cheapestPlanAllowing = (limit: LimitName, needed: number, from: PlanId): PlanId | undefined =>
  PLAN_IDS.filter((id) => PLANS[id].rank > PLANS[from].rank)
    .sort((a, b) => PLANS[a].rank - PLANS[b].rank)
    .find((id) => {
      const allowed: number | null = PLANS[id].limits[limit];
      return allowed === null || allowed >= needed;
    });
