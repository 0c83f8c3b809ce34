import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTest } from '../../../test/billing.js';
import { skipReason } from '../../../test/helpers.js';

describe.skipIf(skipReason)('/api/v1/billing', () => {
  let b: Awaited<ReturnType<typeof createBillingTest>>;
  beforeAll(async () => {
    b = await createBillingTest();
  });
  afterAll(() => b.close());

  const billing = async (user: Record<string, string>) => {
    const res = await b.api('GET', '/billing', user);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  /** Delivers Stripe's events for a completed checkout and waits until they took effect. */
  const subscribe = async (user: Record<string, string>, body?: Record<string, string>) => {
    const { session, events } = await b.checkout(user, body);
    for (const event of events) expect((await b.deliver(event)).status).toBe(200);
    await b.settle();
    const sub = [...b.stripe.subscriptions.values()].at(-1) as { id: string };
    return { session, sub };
  };

  it('starts everyone on free, privately', async () => {
    const res = await b.api('GET', '/billing', await b.caller());
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ plan: 'free', status: null, cancelScheduled: false, features: [] });
    expect((await b.api('GET', '/billing', {})).status).toBe(401);
  });

  it('grants the plan from the webhook, not from the return to the success URL', async () => {
    const user = await b.caller();
    const res = await b.api('POST', '/billing/checkout', user, { plan: 'pro' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { url: string }).url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const session = [...b.stripe.sessions.values()].at(-1) as Record<string, unknown>;
    expect(session).toMatchObject({ mode: 'subscription', client_reference_id: expect.any(String) });
    expect(String(session.success_url)).toContain('session_id={CHECKOUT_SESSION_ID}');
    expect(await billing(user)).toMatchObject({ plan: 'free' });

    for (const event of b.stripe.completeCheckout(session.id as string)) await b.deliver(event);
    await b.settle();
    expect(await billing(user)).toMatchObject({
      plan: 'pro',
      status: 'active',
      periodEnd: expect.any(String),
      features: ['exports', 'api-access'],
    });
  });

  it('sells a one-time price for good, and refuses prices that are not on sale', async () => {
    const user = await b.caller();
    const { events } = await b.checkout(user, { priceId: 'price_pro_lifetime' });
    expect(b.stripe.sessions.size).toBeGreaterThan(0);
    for (const event of events) await b.deliver(event);
    await b.settle();
    expect(await billing(user)).toMatchObject({ plan: 'pro', status: 'active', periodEnd: null });
    // Owned for good: buying pro again is refused, a higher plan is not.
    expect((await b.api('POST', '/billing/checkout', user, { plan: 'pro' })).status).toBe(409);
    expect((await b.api('POST', '/billing/checkout', user, { plan: 'enterprise' })).status).toBe(200);
    expect((await b.api('POST', '/billing/checkout', user, { priceId: 'price_elsewhere' })).status).toBe(400);
    expect((await b.api('POST', '/billing/checkout', user, { plan: 'platinum' })).status).toBe(400);
    expect((await b.api('POST', '/billing/checkout', user, {})).status).toBe(400);
  });

  it('grants a one-time purchase paid by bank debit only once the payment succeeds', async () => {
    const user = await b.caller();
    expect((await b.api('POST', '/billing/checkout', user, { priceId: 'price_pro_lifetime' })).status).toBe(200);
    const session = [...b.stripe.sessions.values()].at(-1) as { id: string };
    const { completed, settle } = b.stripe.completeCheckoutUnpaid(session.id);
    await b.deliver(completed);
    await b.settle();
    expect(await billing(user)).toMatchObject({ plan: 'free' });
    // Buying again while the bank debit clears would charge twice.
    const again = await b.api('POST', '/billing/checkout', user, { priceId: 'price_pro_lifetime' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ detail: expect.stringContaining('processing') });
    await b.deliver(settle());
    await b.settle();
    expect(await billing(user)).toMatchObject({ plan: 'pro', status: 'active', periodEnd: null });
  });

  it('creates one Stripe customer for concurrent first checkouts, with an idempotency key on every create', async () => {
    const user = await b.caller();
    const before = b.stripe.customers.size;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => b.api('POST', '/billing/checkout', user, { plan: 'enterprise' })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(b.stripe.customers.size).toBe(before + 1);
    const creates = b.stripe.requests.filter((r) => r.method === 'POST');
    expect(creates.every((r) => r.idempotencyKey)).toBe(true);
  });

  it('keeps one open checkout per customer, so two tabs, a double click or a retry cannot pay twice', async () => {
    const user = await b.caller();
    type Session = { id: string; status: string; url: string; customer: string };
    const sessions = () => [...b.stripe.sessions.values()] as Session[];
    const start = async (key: string) => {
      const res = await b.api('POST', '/billing/checkout', { ...user, 'idempotency-key': key }, { plan: 'pro' });
      expect(res.status).toBe(200);
      return ((await res.json()) as { url: string }).url;
    };
    await start('tab-1');
    const first = sessions().at(-1) as Session;
    const url = await start('tab-2');
    const second = sessions().at(-1) as Session;
    expect([first.status, second.status]).toEqual(['expired', 'open']);
    expect(url).toBe(second.url);
    // A retry of the first request gets Stripe's replay of its expired session: it answers the open one.
    expect(await start('tab-1')).toBe(second.url);
    expect(second.status).toBe('open');

    const urls = await Promise.all([start('click-1'), start('click-2')]);
    const open = sessions().filter((s) => s.customer === second.customer && s.status === 'open');
    expect(open).toHaveLength(1);
    expect(urls).toContain(open[0]?.url);
    expect(() => b.stripe.completeCheckout(first.id)).toThrow(/expired/);
    for (const event of b.stripe.completeCheckout(open[0]?.id ?? '')) await b.deliver(event);
    await b.settle();
    expect(await billing(user)).toMatchObject({ plan: 'pro', status: 'active' });
  });

  it('refuses a second subscription: plan changes belong in the portal', async () => {
    const user = await b.caller();
    await subscribe(user);
    expect((await b.api('POST', '/billing/checkout', user, { plan: 'enterprise' })).status).toBe(409);
    const portal = await b.api('POST', '/billing/portal', user);
    expect(portal.status).toBe(200);
    expect(await portal.json()).toEqual({ url: expect.stringMatching(/^https:\/\/billing\.stripe\.test\//) });
  });

  it('cancels at period end and resumes', async () => {
    const user = await b.caller();
    expect((await b.api('POST', '/billing/cancel', user)).status).toBe(404);
    const { sub } = await subscribe(user);

    const canceled = await b.api('POST', '/billing/cancel', user);
    expect(canceled.status).toBe(200);
    expect(await canceled.json()).toMatchObject({ plan: 'pro', cancelScheduled: true, cancelAtPeriodEnd: true });
    expect(b.stripe.subscriptions.get(sub.id)).toMatchObject({ cancel_at_period_end: true });

    const resumed = await b.api('POST', '/billing/resume', user);
    expect(await resumed.json()).toMatchObject({ plan: 'pro', cancelScheduled: false, cancelAtPeriodEnd: false });
    expect(b.stripe.subscriptions.get(sub.id)).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
  });

  it('stores Stripe’s state, not a replayed answer, when a cancel is retried after a resume', async () => {
    const user = await b.caller();
    await subscribe(user);
    const call = (path: string, key: string) => b.api('POST', path, { ...user, 'idempotency-key': key });
    expect((await call('/billing/cancel', 'cancel-1')).status).toBe(200);
    expect((await call('/billing/resume', 'resume-1')).status).toBe(200);
    // Stripe replays the first cancel's answer (cancel scheduled) without acting again.
    await call('/billing/cancel', 'cancel-1');
    expect(await billing(user)).toMatchObject({ plan: 'pro', cancelScheduled: false });
  });

  it('sees a cancellation made in the portal (cancel_at), and resume clears it', async () => {
    const user = await b.caller();
    const { sub } = await subscribe(user);
    const cancelAt = Math.floor(Date.now() / 1000) + 10 * 86_400;
    await b.deliver(b.stripe.changeSubscription(sub.id, { cancel_at: cancelAt }));
    await b.settle();
    expect(await billing(user)).toMatchObject({
      plan: 'pro',
      cancelScheduled: true,
      cancelAtPeriodEnd: false,
      cancelAt: new Date(cancelAt * 1000).toISOString(),
    });
    const resumed = await b.api('POST', '/billing/resume', user);
    expect(await resumed.json()).toMatchObject({ cancelScheduled: false, cancelAt: null });
    expect(b.stripe.subscriptions.get(sub.id)).toMatchObject({ cancel_at: null });
  });

  it('falls back to free when the subscription ends or stops being paid', async () => {
    const user = await b.caller();
    const { sub } = await subscribe(user);
    await b.deliver(b.stripe.changeSubscription(sub.id, { status: 'past_due' }));
    await b.settle();
    expect(await billing(user)).toMatchObject({ plan: 'pro', status: 'past_due' });
    await b.deliver(b.stripe.changeSubscription(sub.id, { status: 'unpaid' }));
    await b.settle();
    expect(await billing(user)).toMatchObject({ plan: 'free', status: 'unpaid' });
    await b.deliver(b.stripe.changeSubscription(sub.id, { status: 'canceled' }, 'customer.subscription.deleted'));
    await b.settle();
    expect(await billing(user)).toMatchObject({ plan: 'free', status: 'canceled' });
  });

  it('lists invoices newest first, a page at a time', async () => {
    const user = await b.caller();
    expect(await (await b.api('GET', '/billing/invoices', user)).json()).toEqual({ items: [], nextCursor: null });
    const { sub } = await subscribe(user);
    b.stripe.failPayment(sub.id);
    const first = (await (await b.api('GET', '/billing/invoices?limit=1', user)).json()) as {
      items: Record<string, unknown>[];
      nextCursor: string;
    };
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({
      status: 'open',
      hostedInvoiceUrl: expect.any(String),
      invoicePdf: expect.any(String),
    });
    const second = await (await b.api('GET', `/billing/invoices?limit=1&cursor=${first.nextCursor}`, user)).json();
    expect(second).toMatchObject({ items: [{ status: 'paid', amountPaid: 1900, currency: 'usd' }], nextCursor: null });
  });
});
