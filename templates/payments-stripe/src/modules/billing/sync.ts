import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { billingCustomers } from '../../db/schema/billing-customers.js';
import { entitlements } from '../../db/schema/entitlements.js';
import { step, type Tx, type TxSteps } from '../../db/transaction.js';
import type { PlanId, PlanPrice } from '../../lib/billing/plans.js';
import { idOf, type Stripe } from '../../lib/billing/stripe.js';

/** A subscription or one-time purchase as Stripe has it now, for the customer it belongs to. */
export interface EntitlementState {
  id: string;
  customer: string;
  /** `free` for a price not in the env (a yearly or retired one): the row follows Stripe, granting nothing. */
  plan: PlanId;
  priceId: string;
  status: string;
  periodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: Date | null;
  /**
   * When this state was read from Stripe: taken before the request was sent, not when the answer came,
   * so a slow answer cannot pass for newer than a read that started after it. The row keeps the newest.
   */
  syncedAt: Date;
}

const date = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);

/**
 * The subscription's state as read at `readAt` (taken before the request was sent). A subscription on
 * a price not in the env (one switched to in the portal, or a retired one) still has its status and
 * cancellation followed, under plan `free`; writeEntitlement only updates a row for it, never adds one.
 */
export const subscriptionState = (
  sub: Stripe.Subscription,
  prices: PlanPrice[],
  readAt: Date,
): EntitlementState | undefined => {
  const customer = idOf(sub.customer);
  const known = sub.items.data.flatMap((item) => {
    const price = prices.find((p) => p.priceId === item.price.id);
    return price ? [{ item, plan: price.plan }] : [];
  })[0];
  const item = known?.item ?? sub.items.data[0];
  if (!customer || !item) return undefined;
  return {
    id: sub.id,
    customer,
    plan: known?.plan ?? 'free',
    priceId: item.price.id,
    status: sub.status,
    periodEnd: date(item.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    cancelAt: date(sub.cancel_at),
    syncedAt: readAt,
  };
};

/** A paid one-time checkout: the plan for good. */
export const purchaseState = (
  session: Stripe.Checkout.Session,
  prices: PlanPrice[],
  readAt: Date,
): EntitlementState | undefined => {
  const price = prices.find((p) => p.mode === 'payment' && p.priceId === session.metadata?.priceId);
  const customer = idOf(session.customer);
  if (!price || !customer || session.payment_status !== 'paid') return undefined;
  return {
    id: session.id,
    customer,
    plan: price.plan,
    priceId: price.priceId,
    status: 'active',
    periodEnd: null,
    cancelAtPeriodEnd: false,
    cancelAt: null,
    syncedAt: readAt,
  };
};

/**
 * Writes the state for the user of its customer, unless the row already holds a newer reading: two
 * deliveries handled at once may read Stripe in one order and write in the other. A customer this app
 * did not create (no billing_customers row) belongs to no user here, and changes nothing; nor does a
 * subscription on an unknown price (plan `free`) that has no row yet.
 */
export function* writeEntitlement(tx: Tx, state: EntitlementState): TxSteps<boolean> {
  const [owner] = yield* step(
    tx
      .select({ userId: billingCustomers.userId })
      .from(billingCustomers)
      .where(eq(billingCustomers.stripeCustomerId, state.customer)),
  );
  if (!owner) return false;
  const { customer: _, ...fields } = state;
  const newer = lt(entitlements.syncedAt, state.syncedAt);
  if (state.plan === 'free') {
    yield* step(
      tx
        .update(entitlements)
        .set(fields)
        .where(and(eq(entitlements.id, state.id), newer))
        .returning({ id: entitlements.id }),
    );
    return true;
  }
  yield* step(
    tx
      .insert(entitlements)
      .values({ ...fields, userId: owner.userId })
      .onConflictDoUpdate({ target: entitlements.id, set: fields, setWhere: newer })
      .returning({ id: entitlements.id }),
  );
  return true;
}

/** Lookup keys of the customer's active Stripe entitlements, kept when newer than what the row holds. */
export function* writeFeatures(tx: Tx, customer: string, features: string[], syncedAt: Date): TxSteps<void> {
  yield* step(
    tx
      .update(billingCustomers)
      .set({ features, featuresSyncedAt: syncedAt })
      .where(
        and(
          eq(billingCustomers.stripeCustomerId, customer),
          or(isNull(billingCustomers.featuresSyncedAt), lt(billingCustomers.featuresSyncedAt, syncedAt)),
        ),
      )
      .returning({ userId: billingCustomers.userId }),
  );
}
