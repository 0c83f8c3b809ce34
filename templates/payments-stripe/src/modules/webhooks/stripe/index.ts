import type { AppDeps } from '../../../deps.js';
import { bodyLimit } from '../../../lib/body-limit.js';
import { createRouter } from '../../../lib/router.js';
import { refuse, WEBHOOK_BODY_LIMIT } from '../respond.js';
import { eventRef } from './events.js';
import { receiveStripeEvent } from './receive.js';
import { verifyStripeEvent } from './verify.js';

/**
 * POST /webhooks/stripe: subscription, checkout, invoice and entitlement events keep the local billing
 * state in step with Stripe. Authenticated by its signature, not a user token, and outside /api, so the
 * rate limit of browser traffic does not throttle Stripe's retries.
 */
export const stripeWebhooks = (deps: AppDeps) => {
  const router = createRouter();
  router.use(bodyLimit(WEBHOOK_BODY_LIMIT));
  router.post('/', async (c) => {
    // The signature covers the exact bytes sent, so they are verified before anything parses them.
    const body = new Uint8Array(await c.req.arrayBuffer());
    const { sdk } = await deps.billing.stripe();
    const verified = verifyStripeEvent(sdk, deps.billing.webhookSecrets, body, c.req.header('stripe-signature'));
    if ('reason' in verified) return refuse(c, deps.logger, 'stripe', verified.reason);
    const ref = eventRef(verified.event);
    // Other types change nothing here, so there is nothing to record.
    if (!ref) return c.json({ outcome: 'ignored' }, 200);
    return c.json({ outcome: await receiveStripeEvent(deps, ref) }, 200);
  });
  return router;
};
