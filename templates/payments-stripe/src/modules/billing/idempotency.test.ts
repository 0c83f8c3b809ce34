import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTest } from '../../../test/billing.js';
import { skipReason } from '../../../test/helpers.js';

describe.skipIf(skipReason)('Idempotency-Key on billing requests', () => {
  let b: Awaited<ReturnType<typeof createBillingTest>>;
  beforeAll(async () => {
    b = await createBillingTest();
  });
  afterAll(() => b.close());

  it('gives the same session for a retried checkout, and 422 for the key reused with another plan', async () => {
    const user = { ...(await b.caller()), 'idempotency-key': 'checkout-1' };
    const first = await b.api('POST', '/billing/checkout', user, { plan: 'pro' });
    const retried = await b.api('POST', '/billing/checkout', user, { plan: 'pro' });
    expect(first.status).toBe(200);
    expect(await retried.json()).toEqual(await first.json());
    const other = await b.api('POST', '/billing/checkout', user, { plan: 'enterprise' });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(await other.json()).toMatchObject({
      status: 422,
      detail: 'This Idempotency-Key was already used with a different request',
    });
  });
});
