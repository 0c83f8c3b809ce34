import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxiedBillingTest } from '../../../../test/billing.js';
import { skipReason } from '../../../../test/helpers.js';
import { entitlements } from '../../../db/schema/entitlements.js';

/** Waits until `ready` holds, for at most 5 s. */
const until = async (ready: () => Promise<boolean>) => {
  for (const started = Date.now(); !(await ready()); await sleep(20)) {
    if (Date.now() - started > 5_000) throw new Error('timed out');
  }
};

describe.skipIf(skipReason)('Stripe state in the entitlements table', () => {
  let b: Awaited<ReturnType<typeof createProxiedBillingTest>>;
  beforeAll(async () => {
    b = await createProxiedBillingTest();
  });
  afterAll(() => b.close());

  const rowsOf = (id: string) => b.t.deps.db.select().from(entitlements).where(eq(entitlements.id, id));
  const planOf = async (user: Record<string, string>) =>
    ((await (await b.api('GET', '/billing', user)).json()) as { plan: string }).plan;
  /** Moves the subscription to `price` in Stripe, as the customer portal can. */
  const priceIn = (sub: string, price: string) => {
    const items = b.stripe.subscriptions.get(sub)?.items as { data: Record<string, unknown>[] } | undefined;
    const item = items?.data[0];
    if (!item) throw new Error(`no item in ${sub}`);
    item.price = { id: price, object: 'price' };
  };
  const subscribed = async () => {
    const user = await b.caller();
    const { events } = await b.checkout(user);
    for (const event of events) await b.deliver(event);
    await b.settle();
    return { user, sub: [...b.stripe.subscriptions.keys()].at(-1) as string };
  };

  it('keeps a cancellation when an earlier read of Stripe answers after it', async () => {
    const { user, sub } = await subscribed();
    // Stripe answers this re-fetch at once (active), but the answer takes 800 ms to arrive.
    b.proxy.hold((method, path) => method === 'GET' && path.startsWith(`/v1/subscriptions/${sub}`), 800);
    const slow = b.deliver(b.stripe.changeSubscription(sub, { metadata: { touched: '1' } }));
    await sleep(200);
    // Meanwhile the subscription is canceled, and that is delivered and applied.
    expect(
      (await b.deliver(b.stripe.changeSubscription(sub, { status: 'canceled' }, 'customer.subscription.deleted')))
        .status,
    ).toBe(200);
    await until(async () => (await rowsOf(sub))[0]?.status === 'canceled');
    expect((await slow).status).toBe(200);
    await b.settle();
    // The slow answer was read before the cancellation: no later event would ever correct it.
    expect(await rowsOf(sub)).toMatchObject([{ status: 'canceled' }]);
    expect(await planOf(user)).toBe('free');
  });

  it('keeps the plan of a subscription moved to another of its prices (monthly to yearly in the portal)', async () => {
    const { user, sub } = await subscribed();
    priceIn(sub, 'price_pro_yearly');
    await b.deliver(b.stripe.changeSubscription(sub, {}));
    await b.settle();
    expect(await rowsOf(sub)).toMatchObject([{ plan: 'pro', priceId: 'price_pro_yearly', status: 'active' }]);
    expect(await planOf(user)).toBe('pro');
  });

  it('follows a subscription moved to a price not in the env, granting no paid plan', async () => {
    const { user, sub } = await subscribed();
    // A price taken out of STRIPE_PRICE_PRO, or one of another product.
    priceIn(sub, 'price_pro_retired');
    const cancelAt = Math.floor(Date.now() / 1000) + 86_400;
    await b.deliver(b.stripe.changeSubscription(sub, { cancel_at: cancelAt }));
    await b.settle();
    expect(await rowsOf(sub)).toMatchObject([{ plan: 'free', priceId: 'price_pro_retired', status: 'active' }]);
    expect((await rowsOf(sub))[0]?.cancelAt?.getTime()).toBe(cancelAt * 1000);
    expect(await planOf(user)).toBe('free');
    await b.deliver(b.stripe.changeSubscription(sub, { status: 'canceled' }, 'customer.subscription.deleted'));
    await b.settle();
    expect(await rowsOf(sub)).toMatchObject([{ status: 'canceled' }]);
  });

  it('adds no row for a subscription on a price not in the env', async () => {
    const user = await b.caller();
    const { events } = await b.checkout(user);
    const sub = [...b.stripe.subscriptions.keys()].at(-1) as string;
    priceIn(sub, 'price_of_another_product');
    for (const event of events) expect((await b.deliver(event)).status).toBe(200);
    await b.settle();
    expect(await rowsOf(sub)).toEqual([]);
    expect(await planOf(user)).toBe('free');
  });
});
