import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTest, WEBHOOK_SECRETS } from '../../../../test/billing.js';
import { createTestApp, skipReason } from '../../../../test/helpers.js';
import { APPLIED } from '../../../../test/stripe-events.js';
import { entitlements } from '../../../db/schema/entitlements.js';
import { webhookEvents } from '../../../db/schema/webhook-events.js';
import { transaction } from '../../../db/transaction.js';
import { EnvError } from '../../../env.js';
import { writeEntitlement } from '../../billing/sync.js';

describe.skipIf(skipReason)('POST /webhooks/stripe', () => {
  let b: Awaited<ReturnType<typeof createBillingTest>>;
  beforeAll(async () => {
    b = await createBillingTest();
  });
  afterAll(() => b.close());

  const rowsOf = async (subId: string) => b.t.deps.db.select().from(entitlements).where(eq(entitlements.id, subId));
  const deliveries = async () => (await b.t.deps.db.select().from(webhookEvents)).length;
  const outcome = async (res: Response) => ((await res.json()) as { outcome: string }).outcome;

  it('applies a checkout: its events in order make the user pro', async () => {
    const { events } = await b.checkout(await b.caller());
    const outcomes = [];
    for (const event of events) outcomes.push(await outcome(await b.deliver(event)));
    expect(outcomes).toEqual([APPLIED, APPLIED, APPLIED]);
    await b.settle();
    const sub = [...b.stripe.subscriptions.keys()].at(-1) as string;
    expect(await rowsOf(sub)).toMatchObject([{ plan: 'pro', status: 'active', cancelAtPeriodEnd: false }]);
  });

  it('applies 20 concurrent copies of a delivery once', async () => {
    const { events } = await b.checkout(await b.caller());
    const [created] = events;
    const before = await deliveries();
    const responses = await Promise.all(Array.from({ length: 20 }, () => b.deliver(created)));
    const outcomes = await Promise.all(responses.map(outcome));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    if ((APPLIED as string) === 'applied') {
      expect(outcomes.filter((o) => o === APPLIED)).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(19);
    } else {
      // Queued until applied: each copy queues it again, and BullMQ holds one job for the event id.
      expect(outcomes.filter((o) => o !== APPLIED && o !== 'duplicate')).toEqual([]);
    }
    await b.settle();
    expect(await deliveries()).toBe(before + 1);
    expect(await outcome(await b.deliver(created))).toBe('duplicate');
  });

  it('ends in the same state whatever order the events arrive in', async () => {
    const states = [];
    for (const order of [
      [0, 1, 2, 3, 4],
      [4, 3, 2, 1, 0],
      [2, 4, 0, 3, 1],
    ]) {
      const { events } = await b.checkout(await b.caller());
      const sub = [...b.stripe.subscriptions.keys()].at(-1) as string;
      const cancelAt = Math.floor(Date.now() / 1000) + 86_400;
      const recorded = [
        ...events,
        b.stripe.changeSubscription(sub, { cancel_at: cancelAt }),
        b.stripe.changeSubscription(sub, { status: 'past_due' }),
      ];
      for (const i of order) expect((await b.deliver(recorded[i])).status).toBe(200);
      await b.settle();
      const [row] = await rowsOf(sub);
      states.push({ plan: row?.plan, status: row?.status, cancelAt: row?.cancelAt?.getTime() === cancelAt * 1000 });
    }
    expect(states).toEqual(Array(3).fill({ plan: 'pro', status: 'past_due', cancelAt: true }));
  });

  it('keeps the newest reading of Stripe when an older one is written later', async () => {
    const { events } = await b.checkout(await b.caller());
    for (const event of events) await b.deliver(event);
    await b.settle();
    const sub = [...b.stripe.subscriptions.keys()].at(-1) as string;
    await b.deliver(b.stripe.changeSubscription(sub, { status: 'canceled' }, 'customer.subscription.deleted'));
    await b.settle();
    const [row] = await rowsOf(sub);
    if (!row) throw new Error('no entitlement');
    // What a slow handler that read Stripe before the cancellation would write.
    const customer = String(b.stripe.subscriptions.get(sub)?.customer);
    const { userId: _, createdAt: __, ...fields } = row;
    const stale = { ...fields, plan: 'pro' as const, customer, status: 'active' };
    stale.syncedAt = new Date(row.syncedAt.getTime() - 1_000);
    await transaction(b.t.deps.db, (tx) => writeEntitlement(tx, stale));
    expect(await rowsOf(sub)).toMatchObject([{ status: 'canceled' }]);
  });

  it('refuses a pretty-printed body under the original signature, a stale one and a foreign one, changing nothing', async () => {
    const { events } = await b.checkout(await b.caller());
    const [created] = events;
    const before = await deliveries();
    const compact = JSON.stringify(created);
    const signature = b.stripe.sign(compact, WEBHOOK_SECRETS[1] as string);
    const refused = [
      await b.deliver(compact, { body: JSON.stringify(created, null, 2), signature }),
      await b.deliver(created, { ageSeconds: 301 }),
      await b.deliver(created, { secret: 'whsec_someone_else' }),
      await b.deliver(created, { signature: '' }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(await deliveries()).toBe(before);
    const warnings = b.t.logs.filter((line) => line.msg === 'webhook refused');
    expect(JSON.stringify(warnings)).not.toContain(String(created?.id));
  });

  it('accepts either secret during a rotation, and a delivery signed 4 minutes ago', async () => {
    const { events } = await b.checkout(await b.caller());
    expect((await b.deliver(events[0], { secret: WEBHOOK_SECRETS[0] })).status).toBe(200);
    expect((await b.deliver(events[1], { ageSeconds: 240 })).status).toBe(200);
  });

  it('tells the customer once per failed attempt of an invoice, however often it is delivered', async () => {
    const { events } = await b.checkout(await b.caller());
    for (const event of events) await b.deliver(event);
    await b.settle();
    const sub = [...b.stripe.subscriptions.keys()].at(-1) as string;
    const told = async () =>
      (await b.t.deps.db.select().from(webhookEvents).where(eq(webhookEvents.provider, 'stripe-payment-failed')))
        .length;
    const before = await told();
    const first = b.stripe.failPayment(sub);
    await Promise.all([b.deliver(first), b.deliver(first), b.deliver(first)]);
    await b.settle();
    expect(await told()).toBe(before + 1);
    expect(await rowsOf(sub)).toMatchObject([{ status: 'past_due' }]);
    await b.deliver(b.stripe.failPayment(sub, first.data.object.id as string));
    await b.settle();
    expect(await told()).toBe(before + 2);
  });

  it('takes features from Stripe Entitlements', async () => {
    const user = await b.caller();
    await b.checkout(user);
    const customer = [...b.stripe.customers.keys()].at(-1) as string;
    await b.deliver(b.stripe.grantFeatures(customer, ['sso', 'not-a-feature-here']));
    await b.settle();
    const res = await b.api('GET', '/billing', user);
    expect(await res.json()).toMatchObject({ plan: 'free', features: ['sso'] });
  });

  it('answers other event types without recording them', async () => {
    const before = await deliveries();
    const res = await b.deliver({ id: 'evt_other', object: 'event', type: 'charge.succeeded', data: { object: {} } });
    expect(await res.json()).toEqual({ outcome: 'ignored' });
    expect(await deliveries()).toBe(before);
  });

  it('refuses to boot without its secrets, naming them', async () => {
    const boot = createTestApp({ STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '' });
    await expect(boot).rejects.toThrow(EnvError);
    await expect(createTestApp({ STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: 'nope' })).rejects.toThrow(
      /STRIPE_SECRET_KEY: required, not set[\s\S]*STRIPE_WEBHOOK_SECRET: each must be a whsec_/,
    );
  });
});
