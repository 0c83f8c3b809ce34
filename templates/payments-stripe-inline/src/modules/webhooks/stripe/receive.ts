import { and, eq } from 'drizzle-orm';
import { webhookEvents } from '../../../db/schema/webhook-events.js';
import type { AppDeps } from '../../../deps.js';
import { recordOnce } from '../record.js';
import { applyChange, readChange, type StripeEventRef } from './events.js';
import { tellPaymentFailed } from './payment-failed.js';

/**
 * Applies a verified delivery before answering: its object is read from Stripe, then the delivery is
 * recorded in the same transaction as the change, so a duplicate, even one racing this one, changes
 * nothing. A failure answers 500 and records nothing, and Stripe delivers the event again.
 */
export const receiveStripeEvent = async (deps: AppDeps, ref: StripeEventRef) => {
  const event = { provider: 'stripe', eventId: ref.id, type: ref.type };
  // Most duplicates end here, without a call to Stripe; the rest end in recordOnce.
  const [seen] = await deps.db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.provider, event.provider), eq(webhookEvents.eventId, event.eventId)));
  if (seen) return 'duplicate' as const;
  const change = await readChange(deps, ref);
  // Told before the record: a failed email fails the delivery, and its retry tells once.
  if (change.paymentFailed) await tellPaymentFailed(deps, change.paymentFailed);
  return recordOnce(deps.db, event, (tx) => applyChange(tx, change));
};
