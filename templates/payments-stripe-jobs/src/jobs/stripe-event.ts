import { webhookEvents } from '../db/schema/webhook-events.js';
import { step, transaction } from '../db/transaction.js';
import type { AppDeps } from '../deps.js';
import { applyChange, readChange, type StripeEventRef } from '../modules/webhooks/stripe/events.js';
import { tellPaymentFailed } from '../modules/webhooks/stripe/payment-failed.js';

/**
 * Applies a queued Stripe delivery and records it in the inbox in the same transaction: from then on a
 * delivery of it answers `duplicate`. Safe to run again (a retry, a re-queued job): the object is read
 * afresh, a write keeps the newest reading, and a failed payment is told once per attempt. It applies
 * even when the inbox already holds the event (a job queued by an earlier release, which recorded on
 * receipt), since applying twice changes nothing.
 */
export const stripeEventJob = (deps: AppDeps) => async (ref: StripeEventRef) => {
  const change = await readChange(deps, ref);
  if (change.paymentFailed) await tellPaymentFailed(deps, change.paymentFailed);
  await transaction(deps.db, function* (tx) {
    yield* step(
      tx
        .insert(webhookEvents)
        .values({ provider: 'stripe', eventId: ref.id, type: ref.type })
        .onConflictDoNothing()
        .returning({ id: webhookEvents.id }),
    );
    yield* applyChange(tx, change);
  });
};
