import { eq } from 'drizzle-orm';
import { billingCustomers } from '../../db/schema/billing-customers.js';
import type { User } from '../../db/schema/users.js';
import { transaction } from '../../db/transaction.js';
import type { AppDeps } from '../../deps.js';
import type { PlanPrice } from '../../lib/billing/plans.js';
import { STATUS_GRANTS } from '../../lib/billing/state.js';
import { subscriptionState, writeEntitlement } from './sync.js';

/** `{CHECKOUT_SESSION_ID}` stays as written: Stripe fills it in when it redirects. */
const withQuery = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`;

export const createBillingService = ({ db, billing }: AppDeps) => {
  const customerOf = async (userId: string) =>
    (await db.select().from(billingCustomers).where(eq(billingCustomers.userId, userId)))[0]?.stripeCustomerId;

  /**
   * The user's Stripe customer, created on first need. The idempotency key is the user's id, so
   * concurrent first checkouts get one customer from Stripe, and the row takes the first insert.
   */
  const ensureCustomer = async (user: User) => {
    const known = await customerOf(user.id);
    if (known) return known;
    const { client } = await billing.stripe();
    const customer = await client.customers.create(
      { metadata: { userId: user.id }, ...(user.email ? { email: user.email } : {}) },
      { idempotencyKey: `customer-${user.id}` },
    );
    await db.insert(billingCustomers).values({ userId: user.id, stripeCustomerId: customer.id }).onConflictDoNothing();
    return (await customerOf(user.id)) ?? customer.id;
  };

  /** The subscription a cancel or resume acts on: the one granting the plan now. */
  const currentSubscription = async (user: User) => {
    const { current } = await billing.stateOf(user.id);
    return current?.id.startsWith('sub_') && STATUS_GRANTS[current.status] ? current.id : undefined;
  };

  /**
   * Changes the subscription in Stripe, then stores it as Stripe has it now, so the next read sees it.
   * The update's own answer is not stored: a retried key gets Stripe's answer from the first time
   * replayed, which a later change (a resume after that cancel) may have overtaken.
   */
  const updateSubscription = async (
    id: string,
    params: { cancel_at_period_end: boolean; cancel_at?: '' },
    key: string,
  ) => {
    const { client } = await billing.stripe();
    await client.subscriptions.update(id, params, { idempotencyKey: key });
    const readAt = new Date();
    const state = subscriptionState(await client.subscriptions.retrieve(id), billing.prices, readAt);
    if (state) await transaction(db, (tx) => writeEntitlement(tx, state));
  };

  /**
   * Leaves one open checkout per customer, the newest, and gives its URL: another tab, a double click or
   * a retry made more than one, and each could be paid. Requests running at once all see the newest and
   * expire the rest, so at most one stays payable whichever order they run in.
   */
  const keepOneOpen = async (customer: string) => {
    const { client } = await billing.stripe();
    const open = await client.checkout.sessions.list({ customer, status: 'open', limit: 100 });
    const [newest, ...older] = open.data.sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    for (const session of older) {
      await client.checkout.sessions.expire(session.id, {}, { idempotencyKey: `expire-${session.id}` }).catch((err) => {
        // Paid or expired in the meantime: nothing is left to stop.
        if ((err as { type?: string }).type !== 'StripeInvalidRequestError') throw err;
      });
    }
    return newest?.url ?? undefined;
  };

  return {
    /**
     * A Checkout Session URL; nothing is granted until its webhook arrives. Undefined while an earlier
     * checkout's payment is still processing (a bank debit takes days), so it cannot be paid twice.
     */
    async checkout(user: User, price: PlanPrice, requestKey: string) {
      const customer = await ensureCustomer(user);
      const { client } = await billing.stripe();
      const completed = await client.checkout.sessions.list({ customer, status: 'complete', limit: 100 });
      if (completed.data.some((s) => s.payment_status === 'unpaid')) return { processing: true as const };
      const created = await client.checkout.sessions.create(
        {
          mode: price.mode,
          customer,
          client_reference_id: user.id,
          line_items: [{ price: price.priceId, quantity: 1 }],
          success_url: withQuery(billing.returnUrl, 'checkout=success&session_id={CHECKOUT_SESSION_ID}'),
          cancel_url: withQuery(billing.returnUrl, 'checkout=canceled'),
          metadata: { userId: user.id, priceId: price.priceId },
        },
        { idempotencyKey: `checkout-${user.id}-${requestKey}` },
      );
      return { url: (await keepOneOpen(customer)) ?? created.url };
    },

    async portal(user: User, requestKey: string) {
      const customer = await ensureCustomer(user);
      const { client } = await billing.stripe();
      const session = await client.billingPortal.sessions.create(
        { customer, return_url: billing.returnUrl },
        { idempotencyKey: `portal-${user.id}-${requestKey}` },
      );
      return session.url;
    },

    async invoices(user: User, { limit, cursor }: { limit: number; cursor?: string | undefined }) {
      const customer = await customerOf(user.id);
      if (!customer) return { items: [], nextCursor: null };
      const { client } = await billing.stripe();
      const page = await client.invoices.list({ customer, limit, ...(cursor ? { starting_after: cursor } : {}) });
      return { items: page.data, nextCursor: page.has_more ? (page.data.at(-1)?.id ?? null) : null };
    },

    /** Cancels at period end (`cancel`), or clears a scheduled cancel of either kind; false without a subscription. */
    async scheduleCancel(user: User, cancel: boolean, requestKey: string) {
      const id = await currentSubscription(user);
      if (!id) return false;
      // A cancel made in the portal sets cancel_at instead of cancel_at_period_end: resuming clears both.
      const params = cancel ? { cancel_at_period_end: true } : { cancel_at_period_end: false, cancel_at: '' as const };
      await updateSubscription(id, params, `${cancel ? 'cancel' : 'resume'}-${user.id}-${requestKey}`);
      return true;
    },

    /** Whether the user already pays for a subscription (a second one belongs in the portal, as a plan change). */
    hasSubscription: async (user: User) => (await currentSubscription(user)) !== undefined,
  };
};

export type BillingService = ReturnType<typeof createBillingService>;
