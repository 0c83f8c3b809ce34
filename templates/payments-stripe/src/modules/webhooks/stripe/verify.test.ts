import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTest } from '../../../../test/billing.js';
import { skipReason } from '../../../../test/helpers.js';

describe.skipIf(skipReason)('POST /webhooks/stripe signature time', () => {
  let b: Awaited<ReturnType<typeof createBillingTest>>;
  beforeAll(async () => {
    b = await createBillingTest();
  });
  afterAll(() => b.close());

  it('refuses a delivery signed more than 5 minutes ahead of this clock, and takes one 4 minutes ahead', async () => {
    const { events } = await b.checkout(await b.caller());
    const ahead = await b.deliver(events[0], { ageSeconds: -3_600 });
    expect(ahead.status).toBe(400);
    expect(ahead.headers.get('content-type')).toBe('application/problem+json');
    expect((await b.deliver(events[0], { ageSeconds: -240 })).status).toBe(200);
  });
});
