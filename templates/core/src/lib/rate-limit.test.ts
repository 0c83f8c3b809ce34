import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, createTestDatabase, listen, skipReason, type TestDatabase } from '../../test/helpers.js';
import { memoryCounters } from './rate-limit.js';

describe.skipIf(skipReason)('rate limiting', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());
  const start = async (env: Record<string, string>) => {
    t = await createTestApp({ RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000', ...env }, database);
    server = await listen(t.app);
  };
  afterEach(async () => {
    await server.stop();
    await t.close();
  });

  it('answers 429 with Retry-After and RateLimit headers past the limit', async () => {
    await start({});
    const first = await fetch(`${server.url}/api/v1/anything`);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    await fetch(`${server.url}/api/v1/anything`);
    const third = await fetch(`${server.url}/api/v1/anything`);
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(third.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy sets it', async () => {
    await start({});
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      await fetch(`${server.url}/api/v1/anything`, { headers: { 'X-Forwarded-For': ip } });
    }
    const spoofed = await fetch(`${server.url}/api/v1/anything`, { headers: { 'X-Forwarded-For': '10.0.0.4' } });
    expect(spoofed.status).toBe(429);
  });

  it('behind TRUST_PROXY=1, limits the address the proxy saw, not what the client claims', async () => {
    await start({ TRUST_PROXY: '1' });
    const via = (chain: string) => fetch(`${server.url}/api/v1/anything`, { headers: { 'X-Forwarded-For': chain } });
    await via('203.0.113.7');
    await via('203.0.113.7');
    expect((await via('203.0.113.7')).status).toBe(429);
    expect((await via('1.2.3.4, 203.0.113.7')).status).toBe(429);
    expect((await via('203.0.113.8')).status).toBe(404);
  });

  it('counts the addresses of one IPv6 /64 as one client', async () => {
    await start({ TRUST_PROXY: '1' });
    const via = (ip: string) => fetch(`${server.url}/api/v1/anything`, { headers: { 'X-Forwarded-For': ip } });
    await via('2001:db8:1:2::1');
    await via('2001:db8:1:2::2');
    expect((await via('2001:db8:1:2:ffff::3')).status).toBe(429);
    expect((await via('2001:db8:1:3::1')).status).toBe(404);
  });
});

describe('memory counters', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('count within a window and start over after it', () => {
    vi.useFakeTimers();
    const hit = memoryCounters();
    expect(hit('a', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
    vi.advanceTimersByTime(400);
    expect(hit('a', 1_000)).toEqual({ count: 2, resetInMs: 600 });
    vi.advanceTimersByTime(600);
    expect(hit('a', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
  });

  it('keep at most maxKeys windows', () => {
    const hit = memoryCounters(2);
    hit('a', 60_000);
    hit('b', 60_000);
    hit('c', 60_000);
    expect(hit('a', 60_000).count).toBe(1);
  });
});
