import type { ModuleManifest } from './types.js';

export const cacheMemory: ModuleManifest = {
  id: 'cache-memory',
  description: 'In-process cache with TTL and a bounded size',
  when: (a) => a.cache === 'memory',
};

export const cacheRedis: ModuleManifest = {
  id: 'cache-redis',
  description: 'Redis cache (ioredis); rate limiting falls back to memory if Redis drops',
  when: (a) => a.cache === 'redis',
  dependencies: ['ioredis'],
  env: [
    { name: 'REDIS_URL', example: 'redis://localhost:6379', description: 'Redis connection URL', schema: 'z.url()' },
  ],
};
