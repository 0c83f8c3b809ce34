import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps.js';
import type { AppEnv } from './app-env.js';
import type { Counter } from './cache.js';
import { clientNetwork } from './client-ip.js';
import { problem } from './errors.js';
import { setHeader, setHeaders } from './headers.js';

/**
 * Fixed-window counters kept in this process, for when the shared cache cannot be reached.
 * Every window lasts as long, so insertion order is expiry order and the oldest entries go first.
 */
export const memoryCounters = (maxKeys = 10_000) => {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return (key: string, windowMs: number): Counter => {
    const now = Date.now();
    for (const [oldKey, oldWindow] of windows) {
      if (oldWindow.resetAt > now && windows.size < maxKeys) break;
      windows.delete(oldKey);
    }
    const current = windows.get(key);
    if (current) {
      current.count += 1;
      return { count: current.count, resetInMs: current.resetAt - now };
    }
    windows.set(key, { count: 1, resetAt: now + windowMs });
    return { count: 1, resetInMs: windowMs };
  };
};

/**
 * RATE_LIMIT_MAX requests per client address (IPv6: per /64) per RATE_LIMIT_WINDOW_MS, counted in the cache so all
 * instances share the count. If the cache fails, counting continues per instance, and the switch
 * (and the recovery) is logged once instead of failing requests.
 */
export const rateLimit = ({ env, cache, logger }: AppDeps): MiddlewareHandler<AppEnv> => {
  const limit = env.RATE_LIMIT_MAX;
  const windowMs = env.RATE_LIMIT_WINDOW_MS;
  const policy = `${limit};w=${Math.ceil(windowMs / 1000)}`;
  const fallback = memoryCounters();
  let cacheDown = false;

  const hit = async (key: string): Promise<Counter> => {
    try {
      const counter = await cache.increment(key, windowMs);
      if (cacheDown) {
        cacheDown = false;
        logger.info('rate limit: cache reachable again, counting there');
      }
      return counter;
    } catch (err) {
      if (!cacheDown) {
        cacheDown = true;
        logger.warn({ err }, 'rate limit: cache unreachable, counting per instance in memory');
      }
      return fallback(key, windowMs);
    }
  };

  return async (c, next) => {
    const { count, resetInMs } = await hit(`ratelimit:${clientNetwork(c, env.TRUST_PROXY)}`);
    const resetSeconds = String(Math.max(1, Math.ceil(resetInMs / 1000)));
    setHeaders(c, [
      ['RateLimit-Policy', policy],
      ['RateLimit-Limit', String(limit)],
      ['RateLimit-Remaining', String(Math.max(0, limit - count))],
      ['RateLimit-Reset', resetSeconds],
    ]);
    if (count > limit) {
      setHeader(c, 'Retry-After', resetSeconds);
      return problem(c, 429, { detail: `More than ${limit} requests in ${windowMs / 1000} s; retry later` });
    }
    await next();
  };
};
