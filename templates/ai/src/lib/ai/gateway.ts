import type { Db } from '../../db/client.js';
import type { Env } from '../../env.js';
import type { Cache } from '../cache.js';
import type { Logger } from '../logger.js';
import { createBreaker } from './breaker.js';
import { createBudget } from './budget.js';
import { createLedger } from './ledger.js';
import { aiConfig } from './models.js';
import { createProviders } from './providers.js';
import { createAiRouter } from './router.js';

/**
 * The AI gateway as the app uses it: the router over this project's providers, with circuit breakers
 * and budgets kept in the cache (shared across instances when it is Redis), and the ai_usage ledger a
 * budget the cache lost starts again from. Creating it connects to nothing: each provider loads its SDK
 * on its first call.
 */
export const createAi = ({ env, logger, cache, db }: { env: Env; logger: Logger; cache: Cache; db: Db }) => {
  const breaker = createBreaker({ cache, logger });
  const ledger = createLedger(db);
  return {
    config: aiConfig,
    router: createAiRouter({
      providers: createProviders(env),
      breaker,
      logger,
      config: aiConfig,
      attemptTimeoutMs: env.AI_ATTEMPT_TIMEOUT_MS,
      requestTimeoutMs: env.AI_REQUEST_TIMEOUT_MS,
      maxOutputTokens: env.AI_MAX_OUTPUT_TOKENS,
    }),
    ledger,
    budget: createBudget({
      cache,
      dailyUsd: env.AI_BUDGET_DAILY_USD,
      monthlyUsd: env.AI_BUDGET_MONTHLY_USD,
      spentSince: ledger.costSince,
    }),
  };
};

export type Ai = ReturnType<typeof createAi>;
