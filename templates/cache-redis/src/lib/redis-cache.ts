import { Redis } from 'ioredis';
import type { Cache, Total } from './cache.js';
import type { Logger } from './logger.js';

// One round trip, atomic: add ARGV[1] unless the total would pass the max in ARGV[3] (when given), and
// start the window's expiry if the key has none yet.
const INCREMENT_BY = `
local total = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
local applied = 0
if ARGV[3] == nil or amount <= 0 or total + amount <= tonumber(ARGV[3]) then
  total = redis.call('INCRBY', KEYS[1], amount)
  applied = 1
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if ttl < 0 then
  ttl = tonumber(ARGV[2])
end
return { total, applied, ttl }`;

/**
 * Redis cache shared by every instance of the app. Commands fail at once while Redis is unreachable
 * (no offline queue) so callers can fall back; the connection is retried in the background, and the
 * loss and the recovery are each logged once.
 */
export const createRedisCache = async (url: string, options: { logger: Logger; prefix: string }): Promise<Cache> => {
  const { logger } = options;
  const redis = new Redis(url, {
    keyPrefix: options.prefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let closing = false;
  let lost = false;
  redis.on('error', (err) => logger.debug({ err }, 'redis: connection error'));
  redis.on('close', () => {
    if (closing || lost) return;
    lost = true;
    logger.warn('redis: connection lost, reconnecting');
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger.info('redis: reconnected');
  });

  try {
    await redis.connect();
  } catch (err) {
    closing = true;
    redis.disconnect();
    throw new Error(`cannot connect to Redis at REDIS_URL: ${err instanceof Error ? err.message : String(err)}`);
  }

  const incrementBy = async (key: string, amount: number, windowMs: number, max?: number): Promise<Total> => {
    const args = max === undefined ? [amount, windowMs] : [amount, windowMs, max];
    const [total, applied, resetInMs] = (await redis.eval(INCREMENT_BY, 1, key, ...args)) as [number, number, number];
    return { total, applied: applied === 1, resetInMs };
  };

  return {
    get: async <T>(key: string) => {
      const json = await redis.get(key);
      return json === null ? undefined : (JSON.parse(json) as T);
    },
    set: async (key, value, ttlMs) => {
      const json = JSON.stringify(value);
      await (ttlMs === undefined ? redis.set(key, json) : redis.set(key, json, 'PX', ttlMs));
    },
    delete: async (key) => {
      await redis.del(key);
    },
    increment: async (key, windowMs) => {
      const { total, resetInMs } = await incrementBy(key, 1, windowMs);
      return { count: total, resetInMs };
    },
    incrementBy: async (key, amount, windowMs, max) => incrementBy(key, amount, windowMs, max),
    ping: async () => {
      await redis.ping();
    },
    close: async () => {
      closing = true;
      // quit() waits for pending replies; when the connection is already gone there is nothing to wait for.
      await redis.quit().catch(() => redis.disconnect());
    },
  };
};
