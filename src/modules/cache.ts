import type { ModuleManifest } from './types.js';

/** The `Cache` interface is core's (src/lib/cache.ts); each variant implements it in a file of its own. */
const cacheDep = (create: string, factory: string) => ({
  name: 'cache',
  imports: ["import type { Cache } from './lib/cache.js';", factory],
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
    deps: [
      cacheDep(
        'createMemoryCache({ maxEntries: env.CACHE_MAX_ENTRIES })',
        "import { createMemoryCache } from './lib/memory-cache.js';",
      ),
    ],
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
    deps: [
      cacheDep(
        'await createRedisCache(env.REDIS_URL, { logger, prefix: env.REDIS_KEY_PREFIX })',
        "import { createRedisCache } from './lib/redis-cache.js';",
      ),
    ],
    services: [
      {
        name: 'redis',
        env: 'REDIS_URL',
        image: 'redis:8-alpine',
        port: 6379,
        environment: [],
        healthcheck: 'redis-cli ping',
        composeUrl: 'redis://redis:6379',
        localUrl: 'redis://localhost:6379',
        render: 'keyvalue',
      },
    ],
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
