import type { Tx, TxSteps } from '../../../db/transaction.js';
import type { AppDeps } from '../../../deps.js';
import { idOf, type Stripe } from '../../../lib/billing/stripe.js';
import {
  type EntitlementState,
  purchaseState,
  subscriptionState,
  writeEntitlement,
  writeFeatures,
} from '../../billing/sync.js';

/** The events this endpoint acts on; subscribe the Stripe endpoint to exactly these. */
export const HANDLED_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'invoice.paid',
  'invoice.payment_failed',
  'entitlements.active_entitlement_summary.updated',
] as const;

/**
 * What a delivery names: the event and the object it is about (a customer, for entitlement summaries,
 * which have no id of their own). Small and plain, so it can wait in a job.
 */
export interface StripeEventRef {
  id: string;
  type: (typeof HANDLED_EVENTS)[number];
  objectId: string;
}

const handled = (type: string): type is StripeEventRef['type'] => (HANDLED_EVENTS as readonly string[]).includes(type);

/** The reference of a verified event, or undefined for types this app ignores. */
export const eventRef = (event: Stripe.Event): StripeEventRef | undefined => {
  if (!handled(event.type)) return undefined;
  const object = event.data.object as { id?: string; customer?: string | { id: string } };
  const objectId = event.type.startsWith('entitlements.') ? idOf(object.customer) : object.id;
  return objectId ? { id: event.id, type: event.type, objectId } : undefined;
};

/** A failed payment to tell the customer about: once per attempt of an invoice. */
export interface PaymentFailed {
  invoiceId: string;
  attempt: number;
  customer: string;
  amountDue: number;
  currency: string;
  hostedInvoiceUrl: string | null;
}

/** What an event changes here, read from Stripe as it is now rather than from the (maybe stale) payload. */
export interface StripeChange {
  entitlement?: EntitlementState;
  features?: { customer: string; lookupKeys: string[]; syncedAt: Date };
  paymentFailed?: PaymentFailed;
}

/**
 * Reads the event's object afresh from Stripe: deliveries arrive in any order and hours late, so the
 * payload may be older than what is already stored, while Stripe's current object never is.
 */
export const readChange = async ({ billing }: AppDeps, ref: StripeEventRef): Promise<StripeChange> => {
  const { client } = await billing.stripe();
  // Each reading is stamped with the time before its request went out (see EntitlementState.syncedAt).
  const subscription = async (id: string | undefined) => {
    if (!id) return undefined;
    const readAt = new Date();
    return subscriptionState(await client.subscriptions.retrieve(id), billing.prices, readAt);
  };

  switch (ref.type) {
    // A bank debit completes the checkout unpaid; the plan comes with async_payment_succeeded.
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const readAt = new Date();
      const session = await client.checkout.sessions.retrieve(ref.objectId);
      if (session.mode === 'subscription') return { entitlement: await subscription(idOf(session.subscription)) };
      return { entitlement: purchaseState(session, billing.prices, readAt) };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = await client.invoices.retrieve(ref.objectId);
      const entitlement = await subscription(idOf(invoice.parent?.subscription_details?.subscription));
      const customer = idOf(invoice.customer);
      // Paid since: nobody needs to hear about the failure any more.
      if (ref.type === 'invoice.paid' || invoice.status === 'paid' || !customer) return { entitlement };
      const paymentFailed = {
        invoiceId: invoice.id,
        attempt: invoice.attempt_count,
        customer,
        amountDue: invoice.amount_due,
        currency: invoice.currency,
        hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      };
      return { entitlement, paymentFailed };
    }
    case 'entitlements.active_entitlement_summary.updated': {
      const syncedAt = new Date();
      const active = await client.entitlements.activeEntitlements.list({ customer: ref.objectId, limit: 100 });
      const lookupKeys = active.data.map((e) => e.lookup_key);
      return { features: { customer: ref.objectId, lookupKeys, syncedAt } };
    }
    default:
      return { entitlement: await subscription(ref.objectId) };
  }
};

/** Writes the change; the same change written twice leaves the same rows. */
export function* applyChange(tx: Tx, change: StripeChange): TxSteps<void> {
  if (change.entitlement) yield* writeEntitlement(tx, change.entitlement);
  if (change.features) {
    const { customer, lookupKeys, syncedAt } = change.features;
    yield* writeFeatures(tx, customer, lookupKeys, syncedAt);
  }
}
