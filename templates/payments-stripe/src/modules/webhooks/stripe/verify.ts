import type { Stripe } from '../../../lib/billing/stripe.js';

/** How far a delivery's signed timestamp may be from this server's clock: Stripe's default, 5 minutes. */
export const TOLERANCE_SECONDS = 300;

/** The header's signed timestamp (`t=`), in seconds, or undefined without one. */
const signedAt = (signature: string) => {
  const t = signature.split(',').find((part) => part.trim().startsWith('t='));
  const seconds = t ? Number(t.trim().slice(2)) : Number.NaN;
  return Number.isFinite(seconds) ? seconds : undefined;
};

/**
 * The event, verified on the exact bytes received under any of `secrets` (the old and the new one
 * during a rotation), or why it failed: a reason for the log, never the payload.
 */
export const verifyStripeEvent = (
  sdk: typeof Stripe,
  secrets: string[],
  body: Uint8Array,
  signature: string | undefined,
): { event: Stripe.Event } | { reason: string } => {
  if (!signature) return { reason: 'missing stripe-signature' };
  // The SDK only refuses timestamps too old; one too far ahead would stay replayable past the tolerance.
  const at = signedAt(signature);
  if (at !== undefined && at - Date.now() / 1000 > TOLERANCE_SECONDS) return { reason: 'timestamp in the future' };
  let reason = 'no webhook secret';
  for (const secret of secrets) {
    try {
      return { event: sdk.webhooks.constructEvent(body, signature, secret, TOLERANCE_SECONDS) };
    } catch (err) {
      if (!(err instanceof sdk.errors.StripeSignatureVerificationError)) return { reason: 'body is not an event' };
      reason = err.message;
    }
  }
  return { reason };
};
