import type { Db } from '../../db/client.js';
import type { Env } from '../../env.js';
import { createLimits, type Limits } from './limits.js';
import { type Feature, type PlanPrice, planPrices } from './plans.js';
import { type BillingState, billingStateOf } from './state.js';
import { createStripeLoader, type StripeLoader } from './stripe.js';

export interface Billing {
  /** The Stripe SDK and client, loaded on first use. */
  stripe: StripeLoader;
  /** The prices checkout accepts, each with the plan it buys. */
  prices: PlanPrice[];
  /** Signing secrets of the webhook endpoint: during a rotation, the old and the new one. */
  webhookSecrets: string[];
  returnUrl: string;
  stateOf(userId: string): Promise<BillingState>;
  /** Whether the user's plan (or a Stripe entitlement) includes `feature`; reads local state only. */
  can(user: { id: string }, feature: Feature): Promise<boolean>;
  /** What each user has used of their plan's limits. */
  limits: Limits;
}

export const createBilling = (env: Env, db: Db): Billing => ({
  stripe: createStripeLoader(env),
  prices: planPrices(env),
  webhookSecrets: env.STRIPE_WEBHOOK_SECRET,
  returnUrl: env.BILLING_RETURN_URL,
  stateOf: (userId) => billingStateOf(db, userId),
  can: async (user, feature) => (await billingStateOf(db, user.id)).features.includes(feature),
  limits: createLimits(db, { enforce: env.PLAN_LIMITS }),
});
