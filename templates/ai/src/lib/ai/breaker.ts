import type { Cache } from '../cache.js';
import type { Logger } from '../logger.js';

export interface BreakerState {
  state: 'closed' | 'open' | 'half_open';
  /** Consecutive retryable failures counted so far. */
  failures: number;
  /** While open: time until a trial request may go through. */
  retryInMs?: number;
}

/** A circuit breaker per `provider:model` key, its state in the cache: Redis shares it across instances. */
export interface Breaker {
  /** May `key` be tried now? Half-open lets one caller through, across all instances, as the trial. */
  allow(key: string): Promise<boolean>;
  success(key: string): Promise<void>;
  /** Count a retryable failure: rate limit, overload, 5xx, timeout or network. */
  failure(key: string): Promise<void>;
  state(key: string): Promise<BreakerState>;
}

export interface BreakerOptions {
  cache: Cache;
  logger: Logger;
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before one trial goes through. */
  cooldownMs?: number;
  /** Failures further apart than this do not add up: the count starts again. */
  failureWindowMs?: number;
}

interface OpenRecord {
  until: number;
}

// An open circuit stays recorded until a trial succeeds; a day without traffic is long enough to forget it.
const OPEN_RECORD_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * closed → open after `failureThreshold` consecutive failures → half-open after `cooldownMs` →
 * closed when the trial succeeds, open again when it fails. Counters and the trial's slot use the
 * cache's atomic increment, so instances never both count the same failure or both run a trial.
 * When the cache cannot be reached every circuit reads as closed: the breaker never fails a request.
 */
export const createBreaker = ({
  cache,
  logger,
  failureThreshold = 5,
  cooldownMs = 30_000,
  failureWindowMs = 60_000,
}: BreakerOptions): Breaker => {
  const keys = (key: string) => ({
    failures: `ai:breaker:${key}:failures`,
    open: `ai:breaker:${key}:open`,
    trial: `ai:breaker:${key}:trial`,
  });
  let cacheDown = false;
  const guard = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      const result = await work();
      if (cacheDown) logger.info('ai breaker: cache reachable again');
      cacheDown = false;
      return result;
    } catch (err) {
      if (!cacheDown) logger.warn({ err }, 'ai breaker: cache unreachable, every circuit reads as closed');
      cacheDown = true;
      return fallback;
    }
  };

  const open = (key: string) => cache.set(keys(key).open, { until: Date.now() + cooldownMs }, OPEN_RECORD_TTL_MS);

  return {
    allow: (key) =>
      guard(async () => {
        const record = await cache.get<OpenRecord>(keys(key).open);
        if (!record) return true;
        if (Date.now() < record.until) return false;
        const trial = await cache.increment(keys(key).trial, cooldownMs);
        return trial.count === 1;
      }, true),

    success: (key) =>
      guard(async () => {
        const k = keys(key);
        if (await cache.get<OpenRecord>(k.open)) {
          await Promise.all([cache.delete(k.open), cache.delete(k.trial)]);
          logger.info({ model: key }, 'ai breaker: circuit closed');
        }
        await cache.delete(k.failures);
      }, undefined),

    failure: (key) =>
      guard(async () => {
        const k = keys(key);
        const { count } = await cache.increment(k.failures, failureWindowMs);
        const record = await cache.get<OpenRecord>(k.open);
        // A failed trial opens the circuit again; calls already under way when it opened change nothing.
        if (record && Date.now() >= record.until) {
          await open(key);
          await cache.delete(k.trial);
          logger.warn({ model: key }, 'ai breaker: trial failed, circuit open again');
        } else if (!record && count >= failureThreshold) {
          await open(key);
          logger.warn({ model: key, failures: count }, 'ai breaker: circuit open');
        }
      }, undefined),

    state: (key) =>
      guard(
        async (): Promise<BreakerState> => {
          const k = keys(key);
          const [record, failures = 0] = await Promise.all([
            cache.get<OpenRecord>(k.open),
            cache.get<number>(k.failures),
          ]);
          if (!record) return { state: 'closed', failures };
          const retryInMs = record.until - Date.now();
          return retryInMs > 0 ? { state: 'open', failures, retryInMs } : { state: 'half_open', failures };
        },
        { state: 'closed', failures: 0 },
      ),
  };
};
