import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryCache } from './memory-cache.js';

describe('memory cache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stores JSON values until their TTL passes', async () => {
    vi.useFakeTimers();
    const cache = createMemoryCache({ maxEntries: 10 });
    await cache.set('user', { id: 1, tags: ['a'] }, 1_000);
    expect(await cache.get('user')).toEqual({ id: 1, tags: ['a'] });
    vi.advanceTimersByTime(1_000);
    expect(await cache.get('user')).toBeUndefined();
  });

  it('returns copies, like Redis would', async () => {
    const cache = createMemoryCache({ maxEntries: 10 });
    const value = { n: 1 };
    await cache.set('k', value);
    value.n = 2;
    expect(await cache.get('k')).toEqual({ n: 1 });
  });

  it('evicts the oldest write beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.set('a', 3);
    await cache.set('c', 4);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(3);
    expect(await cache.get('c')).toBe(4);
  });

  it('evicts expired entries before live ones, however old', async () => {
    vi.useFakeTimers();
    const cache = createMemoryCache({ maxEntries: 3 });
    await cache.set('oldest', 1);
    await cache.set('short', 2, 100);
    await cache.set('other', 3);
    vi.advanceTimersByTime(100);
    await cache.set('new', 4);
    expect(await cache.get('oldest')).toBe(1);
    expect(await cache.get('other')).toBe(3);
    expect(await cache.get('new')).toBe(4);
  });

  it('keeps a total that is still counted, evicting the entry used longest ago instead', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.incrementBy('budget', 5, 60_000);
    await cache.set('a', 1);
    await cache.incrementBy('budget', 1, 60_000);
    await cache.set('b', 2);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('budget')).toBe(6);
    expect(await cache.get('b')).toBe(2);
  });

  it('counts hits in a window that starts with the first', async () => {
    vi.useFakeTimers();
    const cache = createMemoryCache({ maxEntries: 10 });
    expect(await cache.increment('hits', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
    vi.advanceTimersByTime(250);
    expect(await cache.increment('hits', 1_000)).toEqual({ count: 2, resetInMs: 750 });
    vi.advanceTimersByTime(750);
    expect(await cache.increment('hits', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
  });

  it('adds amounts, refusing one that would pass the max, and gives back negative ones', async () => {
    vi.useFakeTimers();
    const cache = createMemoryCache({ maxEntries: 10 });
    expect(await cache.incrementBy('spent', 70, 1_000, 100)).toEqual({ total: 70, applied: true, resetInMs: 1_000 });
    vi.advanceTimersByTime(400);
    expect(await cache.incrementBy('spent', 40, 1_000, 100)).toEqual({ total: 70, applied: false, resetInMs: 600 });
    expect(await cache.incrementBy('spent', 30, 1_000, 100)).toMatchObject({ total: 100, applied: true });
    expect(await cache.incrementBy('spent', -50, 1_000, 100)).toMatchObject({ total: 50, applied: true });
    expect(await cache.get('spent')).toBe(50);
    await expect(cache.incrementBy('spent', 0.5, 1_000)).rejects.toThrow(/integer/);
  });

  it('lets parallel adds pass the max by none', async () => {
    const cache = createMemoryCache({ maxEntries: 10 });
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.incrementBy('spent', 30, 1_000, 100)));
    expect(results.filter((r) => r.applied)).toHaveLength(3);
    expect(await cache.get('spent')).toBe(90);
  });

  it('deletes', async () => {
    const cache = createMemoryCache({ maxEntries: 10 });
    await cache.set('k', 'v');
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
  });
});
