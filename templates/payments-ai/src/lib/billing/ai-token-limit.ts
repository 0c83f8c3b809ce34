import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import type { AppDeps } from '../../deps.js';
import { periodOf } from '../ai/budget.js';
import { type AuthEnv, requireUser } from '../auth/middleware.js';
import { limitReached } from './gates.js';
import { cheapestPlanAllowing, PLANS } from './plans.js';
import { billingStateOf } from './state.js';

/**
 * The plan's `aiTokens` limit, in front of every AI request (POST under the AI routes): the tokens the
 * user's AI requests used this UTC month, read from the ai_usage ledger, against what the plan allows.
 * Once they reach it, the request answers 402 naming the plan that allows more (403 when none does).
 * A request counts once it has finished, so requests under way when the limit is reached still
 * finish: parallel ones can go past it together (the AI budgets, in dollars, reserve before the call).
 */
export const aiTokenLimit = (deps: AppDeps): MiddlewareHandler => {
  const { db, ai, env } = deps;

  const check: MiddlewareHandler<AuthEnv> = async (c, next) => {
    const userId = c.get('user').id;
    const { plan } = await billingStateOf(db, userId);
    const allowed = PLANS[plan].limits.aiTokens;
    if (allowed === null) return next();
    const totals = await ai.ledger.totalsOf(userId, periodOf('month', new Date()).startsAt);
    const used = totals.inputTokens + totals.cachedInputTokens + totals.cacheWriteTokens + totals.outputTokens;
    if (used < allowed) return next();
    return limitReached(c, {
      limit: 'aiTokens',
      plan,
      allowed,
      used,
      upgrade: cheapestPlanAllowing('aiTokens', used + 1, plan),
    });
  };

  // The user is needed before the route's own requireUser runs: its token check is cached.
  const checking = every(requireUser(deps), check);
  // PLAN_LIMITS=false refuses nothing; the ledger counts the tokens anyway.
  return async (c, next) => (c.req.method === 'POST' && env.PLAN_LIMITS ? checking(c, next) : next());
};
