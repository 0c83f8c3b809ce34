import { Redis } from 'ioredis';
import type { Cache } from './cache.js';
import type { Logger } from './logger.js';

// One round trip, atomic: count the hit, and start the window's expiry if the key has none yet.
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }`;

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
      const [count, resetInMs] = (await redis.eval(INCREMENT, 1, key, windowMs)) as [number, number];
      return { count, resetInMs };
    },
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
