import { desc, eq } from 'drizzle-orm';
import { webhookEvents } from '../db/schema/webhook-events.js';
import { transaction } from '../db/transaction.js';
import type { AppDeps } from '../deps.js';
import { applyChange, eventRef, HANDLED_EVENTS, readChange } from '../modules/webhooks/stripe/events.js';
import { receiveStripeEvent } from '../modules/webhooks/stripe/receive.js';

/** Where each run leaves its mark in the inbox: the next run starts from the last one's start. */
const MARK = 'stripe-reconcile';

/** Stripe lists events of the last 30 days: the furthest back a first run (or one after a long gap) can see. */
const EVENT_RETENTION_SECONDS = 30 * 86_400;

/** A run reaches back an hour before the last one began, for events created while it was running. */
const OVERLAP_SECONDS = 3_600;

/**
 * Daily: catches what webhooks missed. Events Stripe could not deliver (the app was down, answered
 * 5xx, timed out) go through the inbox like a delivery, so the one Stripe retries later is a duplicate;
 * then every subscription changed since the last run is read afresh from Stripe and stored behind the
 * same newest-reading guard as a webhook. Safe to run twice: both steps are.
 */
export const stripeReconcileJob = (deps: AppDeps) => async () => {
  const startedAt = new Date();
  const [last] = await deps.db
    .select({ at: webhookEvents.receivedAt })
    .from(webhookEvents)
    .where(eq(webhookEvents.provider, MARK))
    .orderBy(desc(webhookEvents.receivedAt))
    .limit(1);
  const now = Math.floor(startedAt.getTime() / 1000);
  const since = last ? Math.floor(last.at.getTime() / 1000) - OVERLAP_SECONDS : now - EVENT_RETENTION_SECONDS;
  const { client } = await deps.billing.stripe();

  let redelivered = 0;
  for await (const event of client.events.list({ delivery_success: false, created: { gte: since }, limit: 100 })) {
    const ref = eventRef(event);
    if (ref && (await receiveStripeEvent(deps, ref)) !== 'duplicate') redelivered++;
  }

  const changed = new Set<string>();
  const types = HANDLED_EVENTS.filter((type) => type.startsWith('customer.subscription.'));
  for await (const event of client.events.list({ types, created: { gte: since }, limit: 100 })) {
    const ref = eventRef(event);
    if (ref) changed.add(ref.objectId);
  }
  for (const objectId of changed) {
    const change = await readChange(deps, {
      id: `reconcile-${objectId}`,
      type: 'customer.subscription.updated',
      objectId,
    });
    await transaction(deps.db, (tx) => applyChange(tx, change));
  }

  await deps.db
    .insert(webhookEvents)
    .values({ provider: MARK, eventId: startedAt.toISOString(), type: 'reconcile', receivedAt: startedAt })
    .onConflictDoNothing();
  deps.logger.info({ redelivered, resynced: changed.size, since: new Date(since * 1000) }, 'stripe: reconciled');
  return { redelivered, resynced: changed.size };
};
