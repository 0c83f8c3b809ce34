import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cacheUnavailable, createTestCache } from '../../test/cache.js';
import { createTestApp, listen } from '../../test/helpers.js';
import { startTcpProxy } from '../../test/tcp-proxy.js';
import type { Cache } from './cache.js';
import { createLogger } from './logger.js';
import { createRedisCache } from './redis-cache.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

describe.skipIf(cacheUnavailable)('redis cache', () => {
  let service: Awaited<ReturnType<typeof createTestCache>>;
  let cache: Cache;
  beforeEach(async () => {
    service = await createTestCache();
    cache = await createRedisCache(service.env.REDIS_URL, { logger, prefix: service.env.REDIS_KEY_PREFIX });
  });
  afterEach(async () => {
    await cache.close();
    await service.drop();
  });

  it('stores JSON values with a TTL', async () => {
    await cache.set('user', { id: 1, tags: ['a'] }, 100);
    expect(await cache.get('user')).toEqual({ id: 1, tags: ['a'] });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await cache.get('user')).toBeUndefined();
  });

  it('deletes', async () => {
    await cache.set('k', 'v');
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
  });

  it('counts hits in a window that starts with the first', async () => {
    expect(await cache.increment('hits', 10_000)).toMatchObject({ count: 1 });
    const second = await cache.increment('hits', 10_000);
    expect(second.count).toBe(2);
    expect(second.resetInMs).toBeGreaterThan(9_000);
    expect(second.resetInMs).toBeLessThanOrEqual(10_000);
  });

  it('adds amounts atomically, refusing those that would pass the max', async () => {
    expect(await cache.incrementBy('spent', 70, 10_000, 100)).toMatchObject({ total: 70, applied: true });
    expect(await cache.incrementBy('spent', -20, 10_000)).toMatchObject({ total: 50, applied: true });
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.incrementBy('spent', 20, 10_000, 100)));
    expect(results.filter((r) => r.applied)).toHaveLength(2);
    expect(await cache.get('spent')).toBe(90);
    const refused = await cache.incrementBy('spent', 20, 10_000, 100);
    expect(refused).toMatchObject({ total: 90, applied: false });
    expect(refused.resetInMs).toBeGreaterThan(9_000);
    expect(await cache.incrementBy('fresh', 200, 10_000, 100)).toEqual({ total: 0, applied: false, resetInMs: 10_000 });
  });

  it('refuses to start when Redis cannot be reached', async () => {
    await expect(createRedisCache('redis://127.0.0.1:1', { logger, prefix: 'x:' })).rejects.toThrow(/cannot connect/);
  });
});

describe.skipIf(cacheUnavailable)('when Redis dies at runtime', () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    // The app reaches Redis through a proxy, so the test can cut it off without touching the server.
    proxy = await startTcpProxy(process.env.REDIS_URL ?? '');
    t = await createTestApp({ REDIS_URL: proxy.url, RATE_LIMIT_MAX: '2', LOG_LEVEL: 'info' });
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server.stop();
    await t.close();
  });

  it('keeps serving, rate limits per instance, logs the switch once, and reports not ready', async () => {
    const hit = async () => fetch(`${server.url}/api/v1/anything`);
    expect((await hit()).headers.get('ratelimit-remaining')).toBe('1');
    await proxy.kill();

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await hit()).status);
    expect(statuses).toEqual([404, 404, 429]);
    expect(t.logs.filter((line) => String(line.msg).includes('cache unreachable'))).toHaveLength(1);

    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { cache: 'fail' } });
  });
});
