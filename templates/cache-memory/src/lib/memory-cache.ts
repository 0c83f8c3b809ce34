import type { Cache } from './cache.js';

interface Entry {
  json: string;
  expiresAt: number;
}

/**
 * In-process cache with a TTL per entry and at most `maxEntries` entries: when full, the entry
 * written longest ago goes. Each instance of the app has its own, so counts are per instance.
 */
export const createMemoryCache = ({ maxEntries }: { maxEntries: number }): Cache => {
  const entries = new Map<string, Entry>();

  const live = (key: string, now = Date.now()): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const write = (key: string, entry: Entry) => {
    entries.delete(key); // re-inserting moves the key to the newest end of the Map
    entries.set(key, entry);
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
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
      const now = Date.now();
      const entry = live(key, now);
      if (entry) {
        entry.json = String(Number(entry.json) + 1);
        return { count: Number(entry.json), resetInMs: entry.expiresAt - now };
      }
      write(key, { json: '1', expiresAt: now + windowMs });
      return { count: 1, resetInMs: windowMs };
    },
    ping: async () => {},
    close: async () => {
      entries.clear();
    },
  };
};
