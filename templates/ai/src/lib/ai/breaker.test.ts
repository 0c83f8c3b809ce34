import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cacheUnavailable, createAiTestCache, sharedAcrossInstances } from '../../../test/ai-cache.js';
import type { Cache } from '../cache.js';
import { createLogger } from '../logger.js';
import { createBreaker } from './breaker.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const KEY = 'openai:gpt-5';

describe.skipIf(cacheUnavailable)("circuit breaker on this project's cache", () => {
  let service: Awaited<ReturnType<typeof createAiTestCache>>;
  let cache: Cache;
  beforeEach(async () => {
    service = await createAiTestCache();
    cache = await service.connect();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await service.drop();
  });

  it('opens after consecutive failures, lets one trial through after the cooldown, closes on success', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const breaker = createBreaker({ cache, logger, failureThreshold: 3, cooldownMs: 10_000 });
    await breaker.failure(KEY);
    await breaker.failure(KEY);
    expect(await breaker.allow(KEY)).toBe(true);
    await breaker.failure(KEY);
    expect(await breaker.state(KEY)).toEqual({ state: 'open', failures: 3, retryInMs: 10_000 });
    expect(await breaker.allow(KEY)).toBe(false);

    vi.advanceTimersByTime(10_000);
    expect(await breaker.state(KEY)).toMatchObject({ state: 'half_open' });
    expect(await breaker.allow(KEY)).toBe(true); // the trial
    expect(await breaker.allow(KEY)).toBe(false); // everyone else waits for it
    await breaker.success(KEY);
    expect(await breaker.state(KEY)).toEqual({ state: 'closed', failures: 0 });
    expect(await breaker.allow(KEY)).toBe(true);
  });

  it('opens again when the trial fails', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const breaker = createBreaker({ cache, logger, failureThreshold: 1, cooldownMs: 10_000 });
    await breaker.failure(KEY);
    vi.advanceTimersByTime(10_000);
    expect(await breaker.allow(KEY)).toBe(true);
    await breaker.failure(KEY);
    expect(await breaker.state(KEY)).toMatchObject({ state: 'open', retryInMs: 10_000 });
    expect(await breaker.allow(KEY)).toBe(false);
  });

  it('starts counting again after a success', async () => {
    const breaker = createBreaker({ cache, logger, failureThreshold: 2 });
    await breaker.failure(KEY);
    await breaker.success(KEY);
    await breaker.failure(KEY);
    expect(await breaker.state(KEY)).toEqual({ state: 'closed', failures: 1 });
  });

  it.runIf(sharedAcrossInstances)('shares its state between instances of the app', async () => {
    const one = createBreaker({ cache, logger, failureThreshold: 2, cooldownMs: 60_000 });
    const other = createBreaker({ cache: await service.connect(), logger, failureThreshold: 2, cooldownMs: 60_000 });
    await one.failure(KEY);
    await other.failure(KEY);
    expect(await one.state(KEY)).toMatchObject({ state: 'open', failures: 2 });
    expect(await other.allow(KEY)).toBe(false);
    await other.success(KEY);
    expect(await one.allow(KEY)).toBe(true);
  });

  it('reads every circuit as closed when the cache cannot be reached', async () => {
    const broken = { ...cache, get: () => Promise.reject(new Error('down')) };
    const breaker = createBreaker({ cache: broken, logger, failureThreshold: 1 });
    await breaker.failure(KEY);
    expect(await breaker.allow(KEY)).toBe(true);
    expect(await breaker.state(KEY)).toEqual({ state: 'closed', failures: 0 });
  });
});
