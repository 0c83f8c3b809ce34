import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTest } from '../../test/billing.js';
import { skipReason } from '../../test/helpers.js';
import { entitlements } from '../db/schema/entitlements.js';
import { stripeReconcileJob } from './stripe-reconcile.js';

describe.skipIf(skipReason)('stripe-reconcile job', () => {
  let b: Awaited<ReturnType<typeof createBillingTest>>;
  beforeAll(async () => {
    b = await createBillingTest();
  });
  afterAll(() => b.close());

  const reconcile = async () => {
    const result = await stripeReconcileJob(b.t.deps)();
    await b.settle();
    return result;
  };
  const planOf = async (user: Record<string, string>) =>
    ((await (await b.api('GET', '/billing', user)).json()) as { plan: string; status: string | null }).plan;
  const outcome = async (res: Response) => ((await res.json()) as { outcome: string }).outcome;

  it('applies the events Stripe could not deliver, so their later delivery is a duplicate', async () => {
    const user = await b.caller();
    const { events } = await b.checkout(user);
    expect(await planOf(user)).toBe('free');
    expect(await reconcile()).toMatchObject({ redelivered: events.length });
    expect(await planOf(user)).toBe('pro');
    for (const event of events) expect(await outcome(await b.deliver(event))).toBe('duplicate');
    // Delivered now: the next run finds nothing left to redeliver.
    expect(await reconcile()).toMatchObject({ redelivered: 0 });
  });

  it('reads afresh every subscription changed since the last run, even one whose event was lost', async () => {
    const user = await b.caller();
    const { events } = await b.checkout(user);
    for (const event of events) await b.deliver(event);
    await b.settle();
    const sub = [...b.stripe.subscriptions.keys()].at(-1) as string;
    // Stripe saw a 2xx, but the change never reached the database (say, a deploy cut it off).
    const lost = b.stripe.changeSubscription(sub, { status: 'unpaid' });
    b.stripe.delivered.add(lost.id);
    expect(await planOf(user)).toBe('pro');
    const { resynced } = await reconcile();
    expect(resynced).toBeGreaterThan(0);
    expect(await planOf(user)).toBe('free');
    const [row] = await b.t.deps.db.select().from(entitlements).where(eq(entitlements.id, sub));
    expect(row?.status).toBe('unpaid');
  });

  it('starts an hour before the last run began, not 30 days back as a first run does', async () => {
    await reconcile();
    const before = b.stripe.requests.length;
    await reconcile();
    const asked = b.stripe.requests.slice(before).filter((r) => r.path === '/v1/events');
    expect(asked).toHaveLength(2);
    const now = Math.floor(Date.now() / 1000);
    for (const { query } of asked) {
      const since = Number(query.get('created[gte]'));
      expect(now - since).toBeGreaterThanOrEqual(3_600);
      expect(now - since).toBeLessThan(3_600 + 60);
    }
  });
});
