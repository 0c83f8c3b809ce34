import { startFakeStripe } from './fake-stripe.js';
import { createTestApp, createTestDatabase, type TestApp } from './helpers.js';
import { createTestScope } from './scope.js';
import { settleStripeEvents } from './stripe-events.js';
import { startStripeProxy } from './stripe-proxy.js';

export const PRICES = {
  STRIPE_PRICE_PRO: 'price_pro_monthly,price_pro_yearly',
  STRIPE_PRICE_PRO_LIFETIME: 'price_pro_lifetime',
  STRIPE_PRICE_ENTERPRISE: 'price_enterprise_monthly',
};

/** The secrets the endpoint accepts in these tests: a rotation in progress. */
export const WEBHOOK_SECRETS = ['whsec_old_secret', 'whsec_new_secret'];

/**
 * An app on its own database, talking to a fake Stripe, with signed-in users (`caller()`), webhook
 * deliveries signed by the SDK (`deliver`) and `settle()` to wait until deliveries have taken effect.
 */
export const createBillingTest = async (env: Record<string, string> = {}) => {
  const stripe = await startFakeStripe();
  const scope = await createTestScope();
  const database = await createTestDatabase();
  const t: TestApp = await createTestApp(
    {
      ...scope.env,
      ...stripe.env,
      ...PRICES,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRETS.join(','),
      PLAN_LIMITS: 'true',
      ...env,
    },
    database,
  );

  /**
   * Sends `payload` (a Stripe event, or the exact body) signed under `secret`, `ageSeconds` ago. An event
   * answered 2xx counts as delivered in the fake, as in Stripe's `delivery_success`.
   */
  const deliver = async (
    payload: unknown,
    options: { secret?: string; ageSeconds?: number; body?: string; signature?: string } = {},
  ) => {
    const signed = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0);
    const signature =
      options.signature ?? stripe.sign(signed, options.secret ?? (WEBHOOK_SECRETS[1] as string), timestamp);
    const res = await t.app.request('/webhooks/stripe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: options.body ?? signed,
    });
    const eventId = (JSON.parse(signed) as { id?: unknown }).id;
    if (res.ok && typeof eventId === 'string') stripe.delivered.add(eventId);
    return res;
  };

  const api = async (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    t.app.request(`/api/v1${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  return {
    t,
    stripe,
    caller: scope.caller,
    deliver,
    api,
    settle: () => settleStripeEvents(t),
    /** `user` checks out `body` and pays in Stripe: the session and the events Stripe sends for it. */
    checkout: async (user: Record<string, string>, body: Record<string, string> = { plan: 'pro' }) => {
      const res = await api('POST', '/billing/checkout', user, body);
      if (res.status !== 200) throw new Error(`checkout answered ${res.status}: ${await res.text()}`);
      const session = [...stripe.sessions.values()].at(-1) as { id: string };
      return { session, events: stripe.completeCheckout(session.id) };
    },
    close: async () => {
      await t.close();
      await database.drop();
      await scope.close();
      await stripe.close();
    },
  };
};

/**
 * A billing test whose calls to Stripe pass through test/stripe-proxy.ts (`proxy`), which can hold
 * back or drop Stripe's answers. With jobs, the worker runs from the start, while deliveries arrive.
 */
export const createProxiedBillingTest = async () => {
  const proxy = await startStripeProxy();
  const b = await createBillingTest(proxy.env);
  proxy.forwardTo(Number(b.stripe.env.STRIPE_API_PORT));
  await b.settle();
  return {
    ...b,
    proxy,
    close: async () => {
      await b.close();
      await proxy.close();
    },
  };
};
