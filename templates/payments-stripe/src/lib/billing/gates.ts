import type { Context, MiddlewareHandler } from 'hono';
import type { AppDeps } from '../../deps.js';
import type { AuthEnv } from '../auth/middleware.js';
import { problem } from '../errors.js';
import type { OverLimit } from './limits.js';
import { cheapestPlanWith, type Feature, LIMITS, PLANS, type PlanId } from './plans.js';

/** 402, naming the plan that would allow it, so a client can offer the upgrade. */
const upgrade = (c: Parameters<MiddlewareHandler<AuthEnv>>[0], plan: PlanId, what: string) =>
  problem(c, 402, { detail: `${what} needs the ${PLANS[plan].name} plan`, plan });

/** After requireUser: only users on `plan` or a higher one pass. */
export const requirePlan =
  ({ billing }: AppDeps, plan: PlanId): MiddlewareHandler<AuthEnv> =>
  async (c, next) => {
    const state = await billing.stateOf(c.get('user').id);
    if (PLANS[state.plan].rank < PLANS[plan].rank) return upgrade(c, plan, 'This');
    await next();
  };

/** After requireUser: only users whose plan (or Stripe entitlements) include `feature` pass. */
export const requireFeature =
  ({ billing }: AppDeps, feature: Feature): MiddlewareHandler<AuthEnv> =>
  async (c, next) => {
    if (!(await billing.can(c.get('user'), feature))) return upgrade(c, cheapestPlanWith(feature), `'${feature}'`);
    await next();
  };

/** Over a plan limit: 402 naming the plan that allows more, or 403 when no plan does. */
export const limitReached = (c: Context, { limit, plan, allowed, upgrade }: OverLimit) => {
  const detail = `The ${PLANS[plan].name} plan allows ${allowed.toLocaleString('en-US')} ${LIMITS[limit].unit}`;
  if (!upgrade) return problem(c, 403, { detail, limit, allowed });
  return problem(c, 402, { detail: `${detail}; ${PLANS[upgrade].name} allows more`, plan: upgrade, limit, allowed });
};
