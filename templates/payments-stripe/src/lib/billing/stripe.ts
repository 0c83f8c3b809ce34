import type Stripe from 'stripe';
import type { Env } from '../../env.js';

export type { Stripe };

/**
 * Network errors, 409 (a request with the same idempotency key in flight), 429 and 5xx are retried
 * twice with the SDK's backoff. A retried create keeps its idempotency key, so it never creates twice.
 */
const MAX_NETWORK_RETRIES = 2;

/** Each request gives up after 20 s: a checkout or portal request should fail fast, not hang. */
const TIMEOUT_MS = 20_000;

/**
 * The Stripe SDK and a client, imported on first use: most requests never talk to Stripe, and the SDK
 * is large. STRIPE_API_HOST/PORT/PROTOCOL point it elsewhere (a proxy, a test server).
 */
export const createStripeLoader = (env: Env) => {
  let loaded: Promise<{ sdk: typeof Stripe; client: Stripe }> | undefined;
  return () => {
    loaded ??= import('stripe').then(({ default: sdk }) => ({
      sdk,
      client: new sdk(env.STRIPE_SECRET_KEY, {
        maxNetworkRetries: MAX_NETWORK_RETRIES,
        timeout: TIMEOUT_MS,
        host: env.STRIPE_API_HOST,
        port: env.STRIPE_API_PORT,
        protocol: env.STRIPE_API_PROTOCOL,
        telemetry: false,
      }),
    }));
    return loaded;
  };
};

export type StripeLoader = ReturnType<typeof createStripeLoader>;

/** The id of an expandable field: Stripe sends either the id or the object. */
export const idOf = (field: string | { id: string } | null | undefined): string | undefined =>
  typeof field === 'string' ? field : field?.id;
