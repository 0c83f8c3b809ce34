/** A counter in a fixed window: hits so far, and time until the window ends. */
export interface Counter {
  count: number;
  resetInMs: number;
}

/** A running total in a fixed window, after `incrementBy`: `applied` is false when `max` refused the amount. */
export interface Total {
  total: number;
  applied: boolean;
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
  /**
   * Adds the integer `amount` (negative to give back) to `key` in one atomic step; the first write opens
   * a window of `windowMs`. With `max`, a positive amount that would take the total above it is not added.
   */
  incrementBy(key: string, amount: number, windowMs: number, max?: number): Promise<Total>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
