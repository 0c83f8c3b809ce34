import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Why tests that need Redis are skipped, or undefined when REDIS_URL points at a server. */
export const cacheUnavailable: string | undefined = process.env.REDIS_URL
  ? undefined
  : 'REDIS_URL is not set, so tests that need Redis are skipped (CI sets it; locally: redis-server, then REDIS_URL=redis://localhost:6379)';

/** Keys under a prefix of their own, so parallel runs never see each other; `drop` deletes them. */
export const createTestCache = async () => {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error(cacheUnavailable);
  const prefix = `test:${randomBytes(8).toString('hex')}:`;
  return {
    env: { REDIS_URL: url, REDIS_KEY_PREFIX: prefix },
    drop: async () => {
      const redis = new Redis(url);
      try {
        const keys: string[] = [];
        for await (const batch of redis.scanStream({ match: `${prefix}*` })) keys.push(...(batch as string[]));
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        await redis.quit();
      }
    },
  };
};
