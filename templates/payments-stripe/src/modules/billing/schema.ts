import { z } from '@hono/zod-openapi';
import { LIMIT_NAMES, PLANS } from '../../lib/billing/plans.js';
import type { BillingState } from '../../lib/billing/state.js';

export const checkoutSchema = z
  .object({
    plan: z.string().min(1).max(50).optional().openapi({ example: 'pro' }),
    priceId: z.string().min(1).max(255).optional().openapi({ description: 'A price of the plan config' }),
  })
  .strict()
  .refine((body) => (body.plan === undefined) !== (body.priceId === undefined), {
    error: 'give either plan or priceId',
  })
  .openapi('Checkout');

export const redirectSchema = z.object({ url: z.url() }).openapi('BillingRedirect');

export const billingSchema = z
  .object({
    plan: z.string(),
    planName: z.string(),
    /** Stripe's subscription status, `active` for a one-time purchase, null without either. */
    status: z.string().nullable(),
    periodEnd: z.iso.datetime().nullable(),
    cancelScheduled: z.boolean(),
    cancelAtPeriodEnd: z.boolean(),
    cancelAt: z.iso.datetime().nullable(),
    features: z.array(z.string()),
    limits: z.record(z.enum(LIMIT_NAMES), z.number().int().nullable()),
  })
  .openapi('Billing');

export const toBillingJson = ({ plan, current, features }: BillingState): z.infer<typeof billingSchema> => ({
  plan,
  planName: PLANS[plan].name,
  status: current?.status ?? null,
  periodEnd: current?.periodEnd?.toISOString() ?? null,
  cancelScheduled: Boolean(current && (current.cancelAtPeriodEnd || current.cancelAt)),
  cancelAtPeriodEnd: current?.cancelAtPeriodEnd ?? false,
  cancelAt: current?.cancelAt?.toISOString() ?? null,
  features,
  limits: PLANS[plan].limits,
});

export const invoiceSchema = z
  .object({
    id: z.string(),
    number: z.string().nullable(),
    status: z.string().nullable(),
    amountDue: z.number().int(),
    amountPaid: z.number().int(),
    currency: z.string(),
    createdAt: z.iso.datetime(),
    hostedInvoiceUrl: z.string().nullable(),
    invoicePdf: z.string().nullable(),
  })
  .openapi('Invoice');

export const invoicePageSchema = z
  .object({ items: z.array(invoiceSchema), nextCursor: z.string().nullable() })
  .openapi('InvoicePage');

export const invoicesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(255).optional(),
});
