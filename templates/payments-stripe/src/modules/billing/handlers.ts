import { randomUUID } from 'node:crypto';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps } from '../../deps.js';
import { PLANS } from '../../lib/billing/plans.js';
import { problem } from '../../lib/errors.js';
import type { ScopeEnv } from '../../lib/scope.js';
import type { cancelRoute, checkoutRoute, getBillingRoute, invoicesRoute, portalRoute, resumeRoute } from './routes.js';
import { toBillingJson } from './schema.js';
import type { BillingService } from './service.js';

type Env = ScopeEnv;

/** Stripe errors a retry may fix: the network, Stripe's own failures, its rate limit. */
const TRANSIENT = new Set(['StripeConnectionError', 'StripeAPIError', 'StripeRateLimitError']);

/** The client's Idempotency-Key, so its retry of a request gets the same Stripe object; else a fresh one. */
const requestKey = (c: Context<Env>) => {
  const given = c.req.header('idempotency-key');
  return given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
};

export const billingHandlers = (deps: AppDeps, billing: BillingService) => {
  /** Runs a call to Stripe; while Stripe cannot answer, 503 instead of 500. */
  const viaStripe = async <T>(c: Context<Env>, call: () => Promise<T>) => {
    try {
      return { ok: true as const, value: await call() };
    } catch (err) {
      const type = (err as { type?: string }).type;
      // Stripe remembers each key with the request it first came with (ours holds the client's key).
      if (type === 'StripeIdempotencyError') {
        return {
          ok: false as const,
          response: problem(c, 422, { detail: 'This Idempotency-Key was already used with a different request' }),
        };
      }
      if (!type || !TRANSIENT.has(type)) throw err;
      deps.logger.warn({ err, requestId: c.get('requestId') }, 'stripe unavailable');
      c.header('Retry-After', '5');
      return { ok: false as const, response: problem(c, 503, { detail: 'Billing is unavailable; retry later' }) };
    }
  };

  const state = async (c: Context<Env>) => toBillingJson(await deps.billing.stateOf(c.get('user').id));

  const get: RouteHandler<typeof getBillingRoute, Env> = async (c) => c.json(await state(c), 200);

  const checkout: RouteHandler<typeof checkoutRoute, Env> = async (c) => {
    const { plan, priceId } = c.req.valid('json');
    const price = deps.billing.prices.find((p) =>
      priceId ? p.priceId === priceId : p.plan === plan && p.mode === 'subscription',
    );
    if (!price) return problem(c, 400, { detail: 'No such plan or price on sale' });
    const user = c.get('user');
    const { plan: owned } = await deps.billing.stateOf(user.id);
    if (PLANS[owned].rank >= PLANS[price.plan].rank) {
      return problem(c, 409, { detail: `Already on the ${PLANS[owned].name} plan` });
    }
    if (price.mode === 'subscription' && (await billing.hasSubscription(user))) {
      return problem(c, 409, { detail: 'Already subscribed: change plans in the billing portal' });
    }
    const result = await viaStripe(c, () => billing.checkout(user, price, requestKey(c)));
    if (!result.ok) return result.response;
    if ('processing' in result.value) {
      return problem(c, 409, { detail: 'An earlier payment is still processing: the plan follows once it clears' });
    }
    if (!result.value.url) throw new Error('Stripe returned a checkout session without a URL');
    return c.json({ url: result.value.url }, 200);
  };

  const portal: RouteHandler<typeof portalRoute, Env> = async (c) => {
    const result = await viaStripe(c, () => billing.portal(c.get('user'), requestKey(c)));
    return result.ok ? c.json({ url: result.value }, 200) : result.response;
  };

  const invoices: RouteHandler<typeof invoicesRoute, Env> = async (c) => {
    const result = await viaStripe(c, () => billing.invoices(c.get('user'), c.req.valid('query')));
    if (!result.ok) return result.response;
    const { items, nextCursor } = result.value;
    const page = items.map((invoice) => ({
      id: invoice.id,
      number: invoice.number,
      status: invoice.status,
      amountDue: invoice.amount_due,
      amountPaid: invoice.amount_paid,
      currency: invoice.currency,
      createdAt: new Date(invoice.created * 1000).toISOString(),
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      invoicePdf: invoice.invoice_pdf ?? null,
    }));
    return c.json({ items: page, nextCursor }, 200);
  };

  const change = (cancel: boolean) => async (c: Context<Env>) => {
    const result = await viaStripe(c, () => billing.scheduleCancel(c.get('user'), cancel, requestKey(c)));
    if (!result.ok) return result.response;
    if (!result.value) return problem(c, 404, { detail: 'No subscription to change' });
    return c.json(await state(c), 200);
  };
  const cancel: RouteHandler<typeof cancelRoute, Env> = change(true);
  const resume: RouteHandler<typeof resumeRoute, Env> = change(false);

  return { get, checkout, portal, invoices, cancel, resume };
};
