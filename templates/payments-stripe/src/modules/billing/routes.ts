import { createRoute } from '@hono/zod-openapi';
import { json, jsonBody, problemResponse } from '../../lib/openapi.js';
import { scopedRoute } from '../../lib/scope.js';
import { billingSchema, checkoutSchema, invoicePageSchema, invoicesQuery, redirectSchema } from './schema.js';

const common = { tags: ['billing'], security: scopedRoute.security };
const stripeDown = { 503: problemResponse('Stripe cannot be reached; retry later') };
const keyReused = { 422: problemResponse('The Idempotency-Key was already used with a different request') };

export const getBillingRoute = createRoute({
  ...common,
  operationId: 'getBilling',
  method: 'get',
  path: '/billing',
  summary: 'The caller’s plan, subscription status, period end, scheduled cancellation and features',
  responses: { 200: json(billingSchema, 'The billing state'), ...scopedRoute.responses },
});

export const checkoutRoute = createRoute({
  ...common,
  operationId: 'createCheckout',
  method: 'post',
  path: '/billing/checkout',
  summary: 'Start a Stripe Checkout for a plan or price; the plan is granted by the webhook, not the redirect',
  description: 'An `Idempotency-Key` header makes a retried request return the same session.',
  request: jsonBody(checkoutSchema),
  responses: {
    200: json(redirectSchema, 'Where to send the browser'),
    400: problemResponse('Invalid body, or a plan or price not on sale'),
    409: problemResponse(
      'The plan is the caller’s already, a subscription is (change plans in the portal), or a payment is processing',
    ),
    ...keyReused,
    ...scopedRoute.responses,
    ...stripeDown,
  },
});

export const portalRoute = createRoute({
  ...common,
  operationId: 'createBillingPortal',
  method: 'post',
  path: '/billing/portal',
  summary: 'Open the Stripe customer portal (payment methods, invoices, plan changes, cancellation)',
  responses: {
    200: json(redirectSchema, 'Where to send the browser'),
    ...keyReused,
    ...scopedRoute.responses,
    ...stripeDown,
  },
});

export const invoicesRoute = createRoute({
  ...common,
  operationId: 'listInvoices',
  method: 'get',
  path: '/billing/invoices',
  summary: 'The caller’s invoices, newest first, with hosted page and PDF links',
  request: { query: invoicesQuery },
  responses: {
    200: json(invoicePageSchema, 'A page of invoices'),
    400: problemResponse('Invalid query'),
    // Not sent with a key, but its handler maps every Stripe error the same way.
    ...keyReused,
    ...scopedRoute.responses,
    ...stripeDown,
  },
});

const subscriptionChange = {
  200: json(billingSchema, 'The billing state after the change'),
  404: problemResponse('No subscription to change'),
  ...keyReused,
  ...scopedRoute.responses,
  ...stripeDown,
};

export const cancelRoute = createRoute({
  ...common,
  operationId: 'cancelSubscription',
  method: 'post',
  path: '/billing/cancel',
  summary: 'Cancel the subscription at the end of the paid period',
  responses: subscriptionChange,
});

export const resumeRoute = createRoute({
  ...common,
  operationId: 'resumeSubscription',
  method: 'post',
  path: '/billing/resume',
  summary: 'Undo a scheduled cancellation, made here or in the portal',
  responses: subscriptionChange,
});
