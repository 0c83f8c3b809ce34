import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

type Json = Record<string, unknown>;

/** `a[b][0]=x` form fields, as the SDK encodes them, into nested objects (lists stay keyed by index). */
const parseForm = (body: string): Json => {
  const out: Json = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = out;
    for (const part of path.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Json;
    }
    node[path.at(-1) as string] = value;
  }
  return out;
};

const now = () => Math.floor(Date.now() / 1000);
const DAY = 86_400;

/**
 * A stateful stand-in for the parts of the Stripe API this app uses (customers, checkout and portal
 * sessions, subscriptions, invoices, active entitlements), answering the real SDK over HTTP. It keeps
 * idempotency keys like Stripe (same key, same answer) and makes the events Stripe would send, which
 * tests sign and deliver. `requests` lists what the app asked.
 */
export const startFakeStripe = async () => {
  let sequence = 0;
  const id = (prefix: string) => `${prefix}_${(++sequence).toString().padStart(6, '0')}`;
  const customers = new Map<string, Json>();
  const sessions = new Map<string, Json>();
  const subscriptions = new Map<string, Json>();
  const invoices = new Map<string, Json>();
  const features = new Map<string, string[]>();
  /** What each idempotency key was first sent with, and Stripe's answer then (replayed as it was). */
  const idempotent = new Map<string, { request: string; status: number; body: Json }>();
  const requests: { method: string; path: string; query: URLSearchParams; idempotencyKey: string | undefined }[] = [];
  /** Every event made, newest last, and those the app answered 2xx (what `delivery_success` reports). */
  const events: Json[] = [];
  const delivered = new Set<string>();

  const event = (type: string, object: Json) => {
    const made = {
      id: id('evt'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: structuredClone(object) },
    };
    events.push(made);
    return made;
  };

  /** GET /v1/events: newest first, by `types`, `created[gte]` and `delivery_success`, in pages. */
  const listEvents = (query: Json): Json => {
    const types = query.types ? Object.values(query.types as Json) : undefined;
    const gte = Number((query.created as Json | undefined)?.gte ?? 0);
    const all = events
      .filter((e) => !types || types.includes(e.type))
      .filter((e) => (e.created as number) >= gte)
      .filter(
        (e) => query.delivery_success === undefined || String(delivered.has(e.id as string)) === query.delivery_success,
      )
      .reverse();
    const start = query.starting_after ? all.findIndex((e) => e.id === query.starting_after) + 1 : 0;
    const limit = Number(query.limit ?? 10);
    const data = all.slice(start, start + limit);
    return { object: 'list', url: '/v1/events', data, has_more: start + limit < all.length };
  };

  const invoiceFor = (sub: Json, status: 'paid' | 'open') => {
    const price = (sub.items as { data: { price: Json }[] }).data[0]?.price.id;
    const invoice: Json = {
      id: id('in'),
      object: 'invoice',
      customer: sub.customer,
      number: `FAKE-${sequence}`,
      status,
      amount_due: 1900,
      amount_paid: status === 'paid' ? 1900 : 0,
      currency: 'usd',
      attempt_count: 1,
      created: now() + sequence,
      hosted_invoice_url: `https://invoice.stripe.test/${sequence}`,
      invoice_pdf: `https://invoice.stripe.test/${sequence}.pdf`,
      parent: { type: 'subscription_details', subscription_details: { subscription: sub.id, metadata: {} } },
      lines: { object: 'list', data: [{ pricing: { price_details: { price } } }], has_more: false },
    };
    invoices.set(invoice.id as string, invoice);
    return invoice;
  };

  const missing = (res: ServerResponse, what: string) =>
    send(res, 404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } });
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
    res.end(JSON.stringify(body));
  };

  const handle = (method: string, path: string, query: URLSearchParams, form: Json): [number, Json] | undefined => {
    const [, , resource, objectId] = path.split('/');
    if (method === 'POST' && path === '/v1/customers') {
      const customer = { id: id('cus'), object: 'customer', email: form.email ?? null, metadata: form.metadata ?? {} };
      customers.set(customer.id, customer);
      return [200, customer];
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      if (!customers.has(form.customer as string)) return undefined;
      const session = {
        id: id('cs_test'),
        object: 'checkout.session',
        created: now() + sequence,
        url: `https://checkout.stripe.test/${sequence}`,
        mode: form.mode,
        status: 'open',
        payment_status: 'unpaid',
        customer: form.customer,
        client_reference_id: form.client_reference_id ?? null,
        subscription: null,
        metadata: form.metadata ?? {},
        line_items: form.line_items,
        success_url: form.success_url,
        cancel_url: form.cancel_url,
      };
      sessions.set(session.id, session);
      return [200, session];
    }
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      const data = [...sessions.values()].filter(
        (cs) => cs.customer === query.get('customer') && (!query.get('status') || cs.status === query.get('status')),
      );
      return [200, { object: 'list', url: path, data, has_more: false }];
    }
    if (method === 'POST' && /^\/v1\/checkout\/sessions\/[^/]+\/expire$/.test(path)) {
      const session = sessions.get(path.split('/')[4] ?? '');
      if (!session) return undefined;
      if (session.status !== 'open') {
        const message = `Only Checkout Sessions with a status in ["open"] can be expired.`;
        return [400, { error: { type: 'invalid_request_error', message } }];
      }
      session.status = 'expired';
      return [200, session];
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      return [200, { id: id('bps'), object: 'billing_portal.session', url: `https://billing.stripe.test/${sequence}` }];
    }
    if (method === 'GET' && path === '/v1/invoices') {
      const all = [...invoices.values()]
        .filter((i) => i.customer === query.get('customer'))
        .sort((a, b) => (b.created as number) - (a.created as number));
      const after = query.get('starting_after');
      const start = after ? all.findIndex((i) => i.id === after) + 1 : 0;
      const limit = Number(query.get('limit') ?? 10);
      const data = all.slice(start, start + limit);
      return [200, { object: 'list', url: '/v1/invoices', data, has_more: start + limit < all.length }];
    }
    if (method === 'GET' && path === '/v1/events') return [200, listEvents(parseForm(query.toString()))];
    if (method === 'GET' && path === '/v1/entitlements/active_entitlements') {
      const keys = features.get(query.get('customer') ?? '') ?? [];
      const data = keys.map((key) => ({ id: id('ent'), object: 'entitlements.active_entitlement', lookup_key: key }));
      return [200, { object: 'list', url: path, data, has_more: false }];
    }
    const store =
      { customers, invoices, subscriptions }[resource as string] ??
      (path.startsWith('/v1/checkout/sessions/') ? sessions : undefined);
    const key = path.startsWith('/v1/checkout/sessions/') ? path.split('/')[4] : objectId;
    const found = key ? store?.get(key) : undefined;
    if (!found) return undefined;
    if (method === 'GET') return [200, found];
    if (method === 'POST' && resource === 'subscriptions') {
      if ('cancel_at_period_end' in form) found.cancel_at_period_end = form.cancel_at_period_end === 'true';
      if ('cancel_at' in form) found.cancel_at = form.cancel_at === '' ? null : Number(form.cancel_at);
      return [200, found];
    }
    return undefined;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const key = req.headers['idempotency-key'] as string | undefined;
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, idempotencyKey: key });
      if (!req.headers.authorization?.startsWith('Bearer sk_test_')) {
        return send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
      }
      const remembered = key ? idempotent.get(key) : undefined;
      const request = `${req.method} ${url.pathname} ${body}`;
      if (remembered && remembered.request !== request) {
        const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
        return send(res, 400, { error: { type: 'idempotency_error', message } });
      }
      if (remembered) return send(res, remembered.status, structuredClone(remembered.body));
      const answer = handle(req.method ?? 'GET', url.pathname, url.searchParams, parseForm(body));
      if (!answer) return missing(res, url.pathname);
      if (key) idempotent.set(key, { request, status: answer[0], body: structuredClone(answer[1]) });
      send(res, answer[0], answer[1]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    env: { STRIPE_API_HOST: '127.0.0.1', STRIPE_API_PORT: String(port), STRIPE_API_PROTOCOL: 'http' },
    requests,
    events,
    delivered,
    customers,
    sessions,
    subscriptions,
    invoices,
    /** The stripe-signature header Stripe sends with `payload`, computed by the SDK. */
    sign: (payload: string, secret: string, timestamp = now()) =>
      Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
    /** The customer completes checkout: the session is paid and, for a subscription, one starts. Gives Stripe's events. */
    completeCheckout(sessionId: string, status = 'active') {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      if (session.status !== 'open') throw new Error(`session ${sessionId} is ${session.status}: it cannot be paid`);
      Object.assign(session, { status: 'complete', payment_status: 'paid' });
      if (session.mode !== 'subscription') return [event('checkout.session.completed', session)];
      const price = (session.line_items as Record<string, Json>)['0']?.price;
      const sub: Json = {
        id: id('sub'),
        object: 'subscription',
        customer: session.customer,
        status,
        cancel_at_period_end: false,
        cancel_at: null,
        created: now(),
        metadata: {},
        items: {
          object: 'list',
          data: [{ id: id('si'), price: { id: price, object: 'price' }, current_period_end: now() + 30 * DAY }],
        },
      };
      subscriptions.set(sub.id as string, sub);
      session.subscription = sub.id;
      const invoice = invoiceFor(sub, 'paid');
      return [
        event('customer.subscription.created', sub),
        event('checkout.session.completed', session),
        event('invoice.paid', invoice),
      ];
    },
    /** A one-time checkout paid by bank debit: complete but unpaid now, paid days later (`settle`). */
    completeCheckoutUnpaid(sessionId: string) {
      const session = sessions.get(sessionId);
      if (session?.mode !== 'payment') throw new Error(`no one-time session ${sessionId}`);
      Object.assign(session, { status: 'complete', payment_status: 'unpaid' });
      return {
        completed: event('checkout.session.completed', session),
        settle: () => {
          session.payment_status = 'paid';
          return event('checkout.session.async_payment_succeeded', session);
        },
      };
    },
    /** A change made in Stripe (the portal, the Dashboard, a failed renewal): the event it sends. */
    changeSubscription(subId: string, fields: Json, type = 'customer.subscription.updated') {
      const sub = subscriptions.get(subId);
      if (!sub) throw new Error(`no subscription ${subId}`);
      Object.assign(sub, fields);
      return event(type, sub);
    },
    /** A renewal payment fails (`attempt` of the same invoice when given): the subscription is past_due. */
    failPayment(subId: string, invoiceId?: string) {
      const sub = subscriptions.get(subId) as Json;
      sub.status = 'past_due';
      const invoice = invoiceId ? (invoices.get(invoiceId) as Json) : invoiceFor(sub, 'open');
      if (invoiceId) invoice.attempt_count = (invoice.attempt_count as number) + 1;
      return event('invoice.payment_failed', invoice);
    },
    grantFeatures(customerId: string, lookupKeys: string[]) {
      features.set(customerId, lookupKeys);
      return event('entitlements.active_entitlement_summary.updated', {
        object: 'entitlements.active_entitlement_summary',
        customer: customerId,
        entitlements: { object: 'list', data: [], has_more: false },
        livemode: false,
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;
