import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheUnavailable, createTestCache } from '../../test/cache.js';
import { createTestApp, listen } from '../../test/helpers.js';
import { startTcpProxy } from '../../test/tcp-proxy.js';
import { type Cache, createCache } from './cache.js';
import { createLogger } from './logger.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

describe.skipIf(cacheUnavailable)('redis cache', () => {
  let service: Awaited<ReturnType<typeof createTestCache>>;
  let cache: Cache;
  beforeEach(async () => {
    service = await createTestCache();
    cache = await createCache(service.env.REDIS_URL, { logger, prefix: service.env.REDIS_KEY_PREFIX });
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

  it('refuses to start when Redis cannot be reached', async () => {
    await expect(createCache('redis://127.0.0.1:1', { logger, prefix: 'x:' })).rejects.toThrow(/cannot connect/);
  });
});

describe.skipIf(cacheUnavailable)('when Redis dies at runtime', () => {
  it('keeps serving, rate limits per instance, logs the switch, and reports not ready', async () => {
    const proxy = await startTcpProxy(process.env.REDIS_URL ?? '');
    const t = await createTestApp({ REDIS_URL: proxy.url, RATE_LIMIT_MAX: '2', LOG_LEVEL: 'info' });
    const server = await listen(t.app);
    try {
      expect((await fetch(`${server.url}/api/v1/anything`)).headers.get('ratelimit-remaining')).toBe('1');
      await proxy.kill();

      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${server.url}/api/v1/anything`)).status);
      expect(statuses).toEqual([404, 404, 429]);
      expect(t.logs).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/cache unreachable/) }));
      expect(t.logs.filter((l) => String(l.msg).includes('cache unreachable'))).toHaveLength(1);

      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { db: 'pass', cache: 'fail' } });
    } finally {
      await server.stop();
      await t.close();
    }
  });
});
