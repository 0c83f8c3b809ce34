import type { ModuleManifest } from './types.js';

/** Both variants write src/lib/cache.ts with the same exports. */
const cacheDep = (create: string) => ({
  name: 'cache',
  imports: ["import { type Cache, createCache } from './lib/cache.js';"],
  type: 'Cache',
  create,
  close: 'deps.cache.close()',
  ready: 'deps.cache.ping()',
});

export const cacheMemory: ModuleManifest = {
  id: 'cache-memory',
  description: 'In-process cache with TTL and a bounded size',
  when: (a) => a.cache === 'memory',
  env: [
    {
      name: 'CACHE_MAX_ENTRIES',
      example: '10000',
      description: 'Most entries the in-memory cache holds before evicting the oldest',
      schema: 'z.coerce.number().int().positive().default(10_000)',
    },
  ],
  slots: {
    deps: [cacheDep('createCache({ maxEntries: env.CACHE_MAX_ENTRIES })')],
  },
};

export const cacheRedis: ModuleManifest = {
  id: 'cache-redis',
  description: 'Redis cache (ioredis); rate limiting falls back to memory if Redis drops',
  when: (a) => a.cache === 'redis',
  dependencies: ['ioredis'],
  env: [
    {
      name: 'REDIS_URL',
      example: 'redis://localhost:6379',
      description: 'Redis connection URL',
      schema: 'z.url()',
      secret: true,
    },
    {
      name: 'REDIS_KEY_PREFIX',
      example: 'app:',
      description: 'Prefix of every key this app writes, so several apps can share one Redis',
      schema: "z.string().default('app:')",
    },
  ],
  slots: {
    deps: [cacheDep('await createCache(env.REDIS_URL, { logger, prefix: env.REDIS_KEY_PREFIX })')],
    readme: [
      {
        title: 'Redis',
        body: [
          'The cache and the rate-limit counters live in Redis at `REDIS_URL`, shared by every instance. The app',
          'does not start without it; if it goes away later, requests are still served, rate limits are counted',
          'per instance until it is back, and `/health/ready` reports `cache` as failing.',
          '',
          'Tests that need Redis are skipped, with a warning, unless `REDIS_URL` is set.',
        ].join('\n'),
      },
    ],
  },
};
