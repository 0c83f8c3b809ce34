/** A counter in a fixed window: hits so far, and time until the window ends. */
export interface Counter {
  count: number;
  resetInMs: number;
}

/** The cache every module uses. Values go through JSON, so memory and Redis behave the same. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` for `ttlMs` milliseconds, or until evicted when no TTL is given. */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds one hit to `key`; the first hit opens a window of `windowMs`. */
  increment(key: string, windowMs: number): Promise<Counter>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
