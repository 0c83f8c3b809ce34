import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../../deps.js';
import type { Counter } from '../../lib/cache.js';
import { problem } from '../../lib/errors.js';
import { memoryCounters } from '../../lib/rate-limit.js';
import type { ScopeEnv } from '../../lib/scope.js';
import { callerKey } from './caller.js';

/**
 * AI_RATE_LIMIT_MAX requests per caller (user, or client address without auth) per
 * AI_RATE_LIMIT_WINDOW_MS on the AI routes, on top of the global per-address limit: model calls cost
 * far more than other requests. Counted in the cache; per instance while the cache is unreachable.
 */
export const aiRateLimit = ({ env, cache, logger }: AppDeps): MiddlewareHandler<ScopeEnv> => {
  const limit = env.AI_RATE_LIMIT_MAX;
  const windowMs = env.AI_RATE_LIMIT_WINDOW_MS;
  const fallback = memoryCounters();
  let cacheDown = false;

  const hit = async (key: string): Promise<Counter> => {
    try {
      const counter = await cache.increment(key, windowMs);
      if (cacheDown) logger.info('ai rate limit: cache reachable again, counting there');
      cacheDown = false;
      return counter;
    } catch (err) {
      if (!cacheDown) logger.warn({ err }, 'ai rate limit: cache unreachable, counting per instance in memory');
      cacheDown = true;
      return fallback(key, windowMs);
    }
  };

  return async (c, next) => {
    const { count, resetInMs } = await hit(`ai:ratelimit:${callerKey(c, env.TRUST_PROXY)}`);
    if (count > limit) {
      c.header('Retry-After', String(Math.max(1, Math.ceil(resetInMs / 1000))));
      return problem(c, 429, { detail: `More than ${limit} AI requests in ${windowMs / 1000} s; retry later` });
    }
    await next();
  };
};
