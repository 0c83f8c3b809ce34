import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxiedBillingTest } from '../../../../test/billing.js';
import { skipReason } from '../../../../test/helpers.js';
import { webhookEvents } from '../../../db/schema/webhook-events.js';

describe.skipIf(skipReason)('POST /webhooks/stripe with jobs: a delivery counts once applied', () => {
  let b: Awaited<ReturnType<typeof createProxiedBillingTest>>;
  beforeAll(async () => {
    b = await createProxiedBillingTest();
  });
  afterAll(() => b.close());

  const planOf = async (user: Record<string, string>) =>
    ((await (await b.api('GET', '/billing', user)).json()) as { plan: string }).plan;
  const outcome = async (res: Response) => ((await res.json()) as { outcome: string }).outcome;

  it('applies a delivery that was never queued (Redis hung, the process died) when Stripe retries it', async () => {
    const user = await b.caller();
    const { events } = await b.checkout(user);
    const { jobs } = b.t.deps;
    const enqueue = jobs.enqueue;
    try {
      jobs.enqueue = () => new Promise<string>(() => {});
      const first = await Promise.race([b.deliver(events[1]), sleep(500).then(() => 'no answer')]);
      expect(first).toBe('no answer');
      jobs.enqueue = () => Promise.reject(new Error('Command timed out'));
      expect((await b.deliver(events[1])).status).toBe(500);
    } finally {
      jobs.enqueue = enqueue;
    }
    expect(await outcome(await b.deliver(events[1]))).toBe('queued');
    await b.settle();
    expect(await planOf(user)).toBe('pro');
    expect(await outcome(await b.deliver(events[1]))).toBe('duplicate');
  });

  it('applies a job that ran out of attempts during a Stripe outage when Stripe delivers it again', async () => {
    const user = await b.caller();
    const { events } = await b.checkout(user);
    const sub = [...b.stripe.subscriptions.keys()].at(-1) as string;
    const { jobs } = b.t.deps;
    const enqueue = jobs.enqueue;
    // One attempt stands for all of them: the outage outlasts the backoff.
    jobs.enqueue = (name, data, options) => enqueue(name, data, { ...options, attempts: 1 });
    b.proxy.down((method, path) => method === 'GET' && path.startsWith(`/v1/subscriptions/${sub}`));
    try {
      expect(await outcome(await b.deliver(events[0]))).toBe('queued');
      for (const started = Date.now(); (await jobs.counts()).failed === 0; await sleep(50)) {
        if (Date.now() - started > 10_000) throw new Error('the job did not fail');
      }
      expect(await jobs.failed(1)).toMatchObject([{ id: events[0]?.id }]);
    } finally {
      b.proxy.down(undefined);
      jobs.enqueue = enqueue;
    }
    // Stripe retries for days: the outage is over by now.
    expect(await outcome(await b.deliver(events[0]))).toBe('queued');
    await b.settle();
    expect(await planOf(user)).toBe('pro');
    expect(await outcome(await b.deliver(events[0]))).toBe('duplicate');
  });

  it('applies a job queued by a release that recorded the delivery on receipt', async () => {
    const user = await b.caller();
    const { events } = await b.checkout(user);
    const [created] = events;
    if (!created) throw new Error('no event');
    const ref = {
      id: created.id,
      type: 'customer.subscription.created' as const,
      objectId: String(created.data.object.id),
    };
    await b.t.deps.db.insert(webhookEvents).values({ provider: 'stripe', eventId: ref.id, type: ref.type });
    await b.t.deps.jobs.enqueue('stripe-event', ref, { jobId: ref.id });
    await b.settle();
    expect(await planOf(user)).toBe('pro');
  });
});
