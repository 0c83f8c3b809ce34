import type { Db } from '../../db/client.js';
import { webhookEvents } from '../../db/schema/webhook-events.js';
import { step, type Tx, type TxSteps, transaction } from '../../db/transaction.js';

/** A delivery as the provider identifies it: the same event id on every retry. */
export interface WebhookEvent {
  provider: string;
  eventId: string;
  type: string;
}

/** What a delivery does to this app's data, run inside the transaction that records it. */
export type WebhookEffect = (tx: Tx) => TxSteps<void>;

/**
 * Records the delivery and applies its effect in one transaction, so a delivery takes effect exactly
 * once. The unique (provider, event id) is the gate: a duplicate inserts nothing and skips the effect,
 * even one racing this delivery on another connection (it waits for this transaction, then finds the
 * row). When the effect fails, the record is rolled back too, so a retry of the delivery applies it.
 */
export const recordOnce = (db: Db, event: WebhookEvent, effect: WebhookEffect) =>
  transaction(db, function* (tx) {
    const [fresh] = yield* step(
      tx.insert(webhookEvents).values(event).onConflictDoNothing().returning({ id: webhookEvents.id }),
    );
    if (!fresh) return 'duplicate' as const;
    yield* effect(tx);
    return 'applied' as const;
  });
