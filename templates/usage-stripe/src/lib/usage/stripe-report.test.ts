import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeStripeMeters } from '../../../test/fake-stripe-meters.js';
import { createTestApp, skipReason, type TestApp } from '../../../test/helpers.js';
import { createTestScope, rowOwner } from '../../../test/scope.js';
import { billingCustomers } from '../../db/schema/billing-customers.js';
import { usageLedger } from '../../db/schema/usage-ledger.js';
import { usageMeterEvents } from '../../db/schema/usage-meter-events.js';
import { meterEventIdentifier, reportUsageToStripe } from './stripe-report.js';

const HOUR = 3_600_000;
// 20 minutes into the hour before this one: every hour a test sends has ended in real time too, as Stripe checks.
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR + 20 * 60_000);
const hoursAgo = (n: number) => new Date(NOW.getTime() - 20 * 60_000 - n * HOUR);

describe.skipIf(skipReason)('usage billed through Stripe meter events', () => {
  let stripe: Awaited<ReturnType<typeof startFakeStripeMeters>>;
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  let t: TestApp;
  beforeAll(async () => {
    [stripe, scope] = await Promise.all([startFakeStripeMeters(), createTestScope()]);
    t = await createTestApp({ ...scope.env, ...stripe.env, USAGE_FLUSH_INTERVAL_MS: '10000' });
  });
  afterAll(() => Promise.all([t.close(), stripe.close(), scope.close()]));
  beforeEach(async () => {
    await t.deps.db.delete(usageMeterEvents);
    await t.deps.db.delete(usageLedger);
    stripe.events.clear();
    stripe.attempts.length = 0;
  });

  let customers = 0;
  const customer = async () => {
    const { ownerId } = await rowOwner(t.deps.db);
    const stripeCustomerId = `cus_meter_${++customers}`;
    await t.deps.db.insert(billingCustomers).values({ userId: ownerId, stripeCustomerId });
    return { userKey: ownerId, id: stripeCustomerId };
  };
  const ledger = (userKey: string, metric: string, hour: Date, quantity: number) =>
    t.deps.db.insert(usageLedger).values({ userKey, metric, hour, quantity });
  const report = () => reportUsageToStripe(t.deps, { now: NOW });

  it('sends one event per customer, meter and closed hour, stamped inside the hour, once', async () => {
    const [ada, bob] = [await customer(), await customer()];
    await ledger(ada.userKey, 'api.requests', hoursAgo(1), 40);
    await ledger(ada.userKey, 'api.requests', hoursAgo(2), 2);
    await ledger(bob.userKey, 'api.requests', hoursAgo(1), 7);
    // Not billed: the open hour, a metric without a meter, a user without a customer, nobody's requests.
    await ledger(ada.userKey, 'api.requests', hoursAgo(0), 5);
    await ledger(ada.userKey, 'storage.bytes', hoursAgo(1), 4096);
    await ledger((await rowOwner(t.deps.db)).ownerId, 'api.requests', hoursAgo(1), 3);
    await ledger('anonymous', 'api.requests', hoursAgo(1), 9);

    expect(await report()).toEqual({ sent: 3 });
    expect(stripe.billed(ada.id, 'api_requests')).toBe(42);
    expect(stripe.billed(bob.id, 'api_requests')).toBe(7);
    const event = stripe.events.get(meterEventIdentifier(ada.id, 'api_requests', hoursAgo(1)));
    expect(event?.timestamp).toBe((hoursAgo(1).getTime() + HOUR) / 1000 - 1);
    expect(stripe.attempts.every((a) => a.idempotencyKey === a.identifier)).toBe(true);

    expect(await report()).toEqual({ sent: 0 });
    expect(stripe.attempts).toHaveLength(3);
    // Once its hour has closed, the open hour goes too.
    expect(await reportUsageToStripe(t.deps, { now: new Date(NOW.getTime() + HOUR) })).toEqual({ sent: 1 });
    expect(stripe.billed(ada.id, 'api_requests')).toBe(47);
  });

  it('bills once when Stripe took an event but its answer was lost, within a run or across runs', async () => {
    const ada = await customer();
    await ledger(ada.userKey, 'api.requests', hoursAgo(3), 10);
    await ledger(ada.userKey, 'api.requests', hoursAgo(2), 20);
    // The SDK's own retry: same idempotency key, same identifier.
    stripe.loseReplies(1);
    expect(await report()).toEqual({ sent: 2 });
    expect(stripe.attempts).toHaveLength(3);
    expect(stripe.billed(ada.id, 'api_requests')).toBe(30);

    await ledger(ada.userKey, 'api.requests', hoursAgo(1), 5);
    // Every attempt of a run loses its answer: the run fails, and the next one sends the event again.
    stripe.loseReplies(3);
    await expect(report()).rejects.toThrow();
    expect(await report()).toEqual({ sent: 1 });
    expect(stripe.attempts.filter((a) => a.identifier === stripe.attempts.at(-1)?.identifier)).toHaveLength(4);
    expect(stripe.billed(ada.id, 'api_requests')).toBe(35);
  }, 20_000);

  it('leaves out hours older than Stripe takes', async () => {
    const ada = await customer();
    await ledger(ada.userKey, 'api.requests', hoursAgo(34 * 24 + 1), 10);
    await ledger(ada.userKey, 'api.requests', hoursAgo(33 * 24), 1);
    expect(await report()).toEqual({ sent: 1 });
    expect(stripe.billed(ada.id, 'api_requests')).toBe(1);
  });
});
