import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../logger.js';

/** No key set has ever been fetched and the server cannot be reached: the request cannot be judged (503). */
export class KeysUnavailable extends Error {
  override name = 'KeysUnavailable';
}

export interface KeySetOptions {
  logger: Logger;
  /** A JWKS request that takes longer fails. */
  timeoutMs?: number;
  /** At most one refetch per this interval, however many unknown `kid`s arrive. */
  cooldownMs?: number;
  /** Keys are refreshed after this long; if the refresh fails, the known keys keep working. */
  maxAgeMs?: number;
  /** Refuse a plain-http URL (production: keys fetched in clear could be swapped on the way). */
  httpsOnly?: boolean;
}

/**
 * One cached resolver for one issuer's JWKS. An unknown `kid` triggers a refetch (rotation without a
 * restart), at most once per cooldown. When the server is down, the keys already fetched keep
 * verifying; with none fetched yet, verification throws KeysUnavailable.
 */
export const remoteKeySet = (url: URL, options: KeySetOptions): JWTVerifyGetKey => {
  const { logger, timeoutMs = 5_000, cooldownMs = 30_000, maxAgeMs = 10 * 60_000 } = options;
  if (options.httpsOnly && url.protocol !== 'https:') {
    throw new Error(`auth: signing keys must be fetched over https in production, not ${url.origin}`);
  }
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = 0;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  const load = async () => {
    attemptedAt = Date.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
      keys = createLocalJWKSet((await res.json()) as JSONWebKeySet);
      fetchedAt = Date.now();
    } catch (err) {
      logger.warn({ err, url: url.href }, 'auth: JWKS fetch failed');
    }
  };
  // Concurrent requests share one fetch.
  const refresh = () => {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const coolingDown = () => Date.now() - attemptedAt < cooldownMs;

  return async (header, token) => {
    // A fetch already under way is awaited, so concurrent first requests all see its keys.
    if (inFlight) await inFlight;
    else if ((!keys || Date.now() - fetchedAt > maxAgeMs) && !coolingDown()) await refresh();
    if (!keys) throw new KeysUnavailable(`no keys from ${url.href}`);
    try {
      return await keys(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || coolingDown()) throw err;
      await refresh();
      return keys(header, token);
    }
  };
};
