import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTest } from '../../../test/billing.js';
import { skipReason } from '../../../test/helpers.js';
import { type AuthEnv, requireUser } from '../auth/middleware.js';
import { createRouter } from '../router.js';
import { requireFeature, requirePlan } from './gates.js';

describe.skipIf(skipReason)('plan gates', () => {
  let b: Awaited<ReturnType<typeof createBillingTest>>;
  let app: ReturnType<typeof createRouter<AuthEnv>>;
  beforeAll(async () => {
    b = await createBillingTest();
    const deps = b.t.deps;
    app = createRouter<AuthEnv>();
    app.use('*', requireUser(deps));
    app.get('/reports', requirePlan(deps, 'pro'), (c) => c.text('reports'));
    app.get('/sso', requireFeature(deps, 'sso'), (c) => c.text('sso'));
    app.get('/can-export', async (c) => c.json(await deps.billing.can(c.get('user'), 'exports')));
  });
  afterAll(() => b.close());

  it('lets a plan and its features through, and answers 402 naming the plan that would', async () => {
    const user = await b.caller();
    const reports = await app.request('/reports', { headers: user });
    expect(reports.status).toBe(402);
    expect(reports.headers.get('content-type')).toBe('application/problem+json');
    expect(await reports.json()).toMatchObject({ plan: 'pro', detail: expect.stringContaining('Pro') });
    expect(await (await app.request('/can-export', { headers: user })).json()).toBe(false);

    const { events } = await b.checkout(user);
    for (const event of events) await b.deliver(event);
    await b.settle();
    expect(await (await app.request('/reports', { headers: user })).text()).toBe('reports');
    expect(await (await app.request('/can-export', { headers: user })).json()).toBe(true);
    const sso = await app.request('/sso', { headers: user });
    expect(sso.status).toBe(402);
    expect(await sso.json()).toMatchObject({ plan: 'enterprise' });
  });

  it('reads only local state: no call to Stripe on the request path', async () => {
    const user = await b.caller();
    await app.request('/reports', { headers: user });
    const calls = b.stripe.requests.length;
    await app.request('/reports', { headers: user });
    await app.request('/can-export', { headers: user });
    expect(b.stripe.requests.length).toBe(calls);
  });
});
