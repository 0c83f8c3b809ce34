import type { Cache, Total } from './cache.js';

interface Entry {
  json: string;
  expiresAt: number;
}

/**
 * In-process cache with a TTL per entry and at most `maxEntries` entries: when full, expired entries go
 * first, then the entry used longest ago (read, written or counted). Each instance of the app has its
 * own, so counts are per instance and a restart forgets them.
 */
export const createMemoryCache = ({ maxEntries }: { maxEntries: number }): Cache => {
  const entries = new Map<string, Entry>(); // oldest use first
  // No entry expires before this, so a full cache scans for expired entries only when one may be.
  let nextExpiry = Infinity;

  const live = (key: string, now = Date.now()): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    entries.set(key, entry); // re-inserting moves the key to the newest end of the Map
    return entry;
  };

  const sweepExpired = (now: number) => {
    nextExpiry = Infinity;
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(key);
      else nextExpiry = Math.min(nextExpiry, entry.expiresAt);
    }
  };

  const write = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    nextExpiry = Math.min(nextExpiry, entry.expiresAt);
    if (entries.size <= maxEntries) return;
    const now = Date.now();
    if (nextExpiry <= now) sweepExpired(now);
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
  };

  // Synchronous from read to write, so concurrent callers in this process never interleave.
  const incrementBy = (key: string, amount: number, windowMs: number, max?: number): Total => {
    if (!Number.isInteger(amount)) throw new TypeError(`incrementBy needs an integer, got ${amount}`); // as Redis does
    const now = Date.now();
    const entry = live(key, now);
    const total = entry ? Number(entry.json) : 0;
    const resetInMs = entry ? entry.expiresAt - now : windowMs;
    if (max !== undefined && amount > 0 && total + amount > max) return { total, applied: false, resetInMs };
    if (entry) entry.json = String(total + amount);
    else write(key, { json: String(amount), expiresAt: now + windowMs });
    return { total: total + amount, applied: true, resetInMs };
  };

  return {
    get: async <T>(key: string) => {
      const entry = live(key);
      return entry ? (JSON.parse(entry.json) as T) : undefined;
    },
    set: async (key, value, ttlMs) => {
      write(key, { json: JSON.stringify(value), expiresAt: ttlMs === undefined ? Infinity : Date.now() + ttlMs });
    },
    delete: async (key) => {
      entries.delete(key);
    },
    increment: async (key, windowMs) => {
      const { total, resetInMs } = incrementBy(key, 1, windowMs);
      return { count: total, resetInMs };
    },
    incrementBy: async (key, amount, windowMs, max) => incrementBy(key, amount, windowMs, max),
    ping: async () => {},
    close: async () => {
      entries.clear();
    },
  };
};
