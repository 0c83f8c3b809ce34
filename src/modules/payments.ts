import type { EnvVar, ModuleManifest } from './types.js';

/** A comma list of Stripe price ids: several prices (monthly, yearly, retired) can buy one plan. */
const priceList = [
  'z',
  '    .string()',
  "    .transform((list) => list.split(',').map((id) => id.trim()))",
  "    .pipe(z.array(z.string().startsWith('price_', 'each must be a price_... id')))",
  '    .optional()',
].join('\n');

const env: EnvVar[] = [
  {
    name: 'STRIPE_SECRET_KEY',
    example: 'sk_test_replace_with_your_secret_key',
    description: 'Stripe secret key (sk_test_... or sk_live_..., or a restricted rk_ key); required',
    schema: "z.string().regex(/^(sk|rk)_(test|live)_\\w+$/, 'must be sk_test_..., sk_live_... or rk_...')",
    secret: true,
  },
  {
    name: 'STRIPE_WEBHOOK_SECRET',
    example: 'whsec_replace_with_your_endpoint_secret',
    description: 'Signing secret of the webhook endpoint (whsec_...); a comma list during a rotation; required',
    schema: [
      'z',
      '    .string()',
      "    .transform((list) => list.split(',').map((secret) => secret.trim()))",
      "    .pipe(z.array(z.string().regex(/^whsec_\\S{8,}$/, 'each must be a whsec_... signing secret')))",
    ].join('\n'),
    secret: true,
  },
  {
    name: 'STRIPE_PRICE_PRO',
    example: '',
    description:
      'Price ids (price_...) of the pro subscription, comma-separated: checkout sells the first; the others (yearly, older prices) still grant pro; unset: not on sale',
    schema: priceList,
  },
  {
    name: 'STRIPE_PRICE_PRO_LIFETIME',
    example: '',
    description: 'Price id of a one-time payment that buys pro for good; unset: not on sale',
    schema: "z.string().startsWith('price_').optional()",
  },
  {
    name: 'STRIPE_PRICE_ENTERPRISE',
    example: '',
    description: 'Price ids of the enterprise subscription, comma-separated like STRIPE_PRICE_PRO; unset: not on sale',
    schema: priceList,
  },
  {
    name: 'BILLING_RETURN_URL',
    example: 'http://localhost:3000/billing',
    description: 'Page of your frontend that Checkout and the customer portal send the browser back to',
    schema: "z.url().default('http://localhost:3000/billing')",
  },
  {
    name: 'PLAN_LIMITS',
    example: 'true',
    description: 'Refuse what goes over a plan limit; false counts but refuses nothing (an incident, a promo)',
    schema: 'z.stringbool().default(true)',
  },
  {
    name: 'STRIPE_API_HOST',
    example: 'api.stripe.com',
    description: 'Host of the Stripe API; point it at a proxy or a test server',
    schema: 'z.string().min(1).optional()',
  },
  {
    name: 'STRIPE_API_PORT',
    example: '443',
    description: 'Port of the Stripe API',
    schema: 'z.coerce.number().int().min(1).max(65535).optional()',
  },
  {
    name: 'STRIPE_API_PROTOCOL',
    example: 'https',
    description: 'Protocol of the Stripe API: https, or http for a local test server',
    schema: "z.enum(['https', 'http']).optional()",
  },
];

const README = [
  'Billing runs on Stripe. Users pay through Stripe Checkout and manage payment methods, invoices and',
  'cancellation in the Stripe customer portal; the app keeps each user’s plan in its own tables',
  '(`billing_customers`, `entitlements`), written only by verified webhooks, and every plan check reads',
  'those tables, never Stripe.',
  '',
  '**Plans** live in `src/lib/billing/plans.ts`: `free`, `pro` and `enterprise`, each with a rank, its',
  'features and its limits, and which Stripe price buys it (`planPrices`, ids from the environment). A',
  'subscription grants its plan while it is `trialing`, `active` or `past_due` (Stripe is still retrying',
  'the payment); `unpaid`, `paused`, `canceled`, `incomplete` and `incomplete_expired` fall back to `free`.',
  'A one-time price (`STRIPE_PRICE_PRO_LIFETIME`) buys its plan for good.',
  '',
  '```ts',
  "import { requireFeature, requirePlan } from './lib/billing/gates.js';",
  "router.use('/reports/*', requireUser(deps), requirePlan(deps, 'pro')); // 402 naming the plan otherwise",
  "router.use('/exports/*', requireUser(deps), requireFeature(deps, 'exports'));",
  "if (await deps.billing.can(user, 'sso')) { ... }",
  '```',
  '',
  '**Limits** (`PLANS.<plan>.limits`, reported by `GET /api/v1/billing`) are counted per user in `plan_usage`.',
  '`projects` is enforced in front of `/api/v1/projects` (`src/lib/billing/project-limit.ts`): creating or',
  'restoring a project takes one, deleting gives one back, and over the limit the request answers 402',
  '`application/problem+json` naming the plan that allows more (`plan`, `limit`, `allowed`), or 403 when no',
  'plan does. A take is one conditional update, so parallel creates cannot pass the limit together. A limit',
  'counts either what a user has (`all`) or what they use in a UTC month (`month`, back to 0 when the next',
  'one starts), as `LIMITS` says; enforce a new one with `deps.billing.limits.take(userId, name, n)`',
  'where the resource is made, and `give` when it goes. `PLAN_LIMITS=false` keeps counting but refuses nothing.',
  '',
  'Endpoints (signed-in user):',
  '',
  '- `GET /api/v1/billing`: plan, status, period end, scheduled cancellation (`cancelAtPeriodEnd` or',
  '  `cancelAt`), features and limits.',
  '- `POST /api/v1/billing/checkout` `{ "plan": "pro" }` or `{ "priceId": "price_..." }`: a Checkout URL.',
  '  The plan is granted when the webhook arrives, not when the browser returns to `BILLING_RETURN_URL`',
  '  (for a bank debit, when `checkout.session.async_payment_succeeded` does). 409 for a plan the user',
  '  already has, a second subscription (plan changes go through the portal), or while an earlier',
  '  payment is processing. A customer keeps one open checkout, the newest: requests made at once (two',
  '  tabs, a double click, a retry) all answer its URL and expire the others, so only one can be paid.',
  '- `POST /api/v1/billing/portal`: a customer portal URL.',
  '- `GET /api/v1/billing/invoices?limit=20&cursor=in_...`: invoices with their hosted page and PDF.',
  '- `POST /api/v1/billing/cancel`: cancel at the end of the paid period; `POST /api/v1/billing/resume`',
  '  undoes it (and a cancellation scheduled in the portal, which sets `cancel_at`).',
  '',
  'Each user gets one Stripe customer, created with an idempotency key made from the user id, so two',
  'first checkouts at once make one customer. Every create sends an idempotency key (a client may send',
  'its own `Idempotency-Key` header), and the SDK retries network errors twice with it.',
  '',
  '**Setting up Stripe.** In the Dashboard (test mode first): Product catalog > Add product for Pro and',
  'Enterprise, each with a recurring price (and, if you sell it, a one-time price for Pro); copy the price',
  'ids (`price_...`) into `STRIPE_PRICE_PRO`, `STRIPE_PRICE_ENTERPRISE` and `STRIPE_PRICE_PRO_LIFETIME`.',
  'A plan sold at several prices (monthly and yearly) lists them all, comma-separated: checkout sells the',
  'first, and a subscription on any of them grants the plan. Keep a price you stop selling in the list',
  'while subscriptions still pay it.',
  'Developers > API keys gives `STRIPE_SECRET_KEY`. Developers > Webhooks > Add endpoint:',
  '`https://<your-api>/webhooks/stripe`, with the events below; its signing secret goes in',
  '`STRIPE_WEBHOOK_SECRET`. Settings > Billing > Customer portal turns the portal on. With the Stripe CLI:',
  '',
  '```sh',
  'stripe products create --name Pro',
  'stripe prices create --product prod_... --unit-amount 1900 --currency usd -d "recurring[interval]=month"',
  'stripe webhook_endpoints create --url https://<your-api>/webhooks/stripe \\',
  '  -d "enabled_events[]=checkout.session.completed" \\',
  '  -d "enabled_events[]=checkout.session.async_payment_succeeded" \\',
  '  -d "enabled_events[]=customer.subscription.created" \\',
  '  -d "enabled_events[]=customer.subscription.updated" -d "enabled_events[]=customer.subscription.deleted" \\',
  '  -d "enabled_events[]=customer.subscription.paused" -d "enabled_events[]=customer.subscription.resumed" \\',
  '  -d "enabled_events[]=invoice.paid" -d "enabled_events[]=invoice.payment_failed" \\',
  '  -d "enabled_events[]=entitlements.active_entitlement_summary.updated"',
  '```',
  '',
  '**Testing locally**: `stripe listen --forward-to localhost:3000/webhooks/stripe` prints a `whsec_...`',
  'secret for this session; put it in `STRIPE_WEBHOOK_SECRET` (comma-separated after the Dashboard one, if',
  'you keep both) and restart. `stripe trigger checkout.session.completed` sends test events. The',
  "project's own tests never reach Stripe: `test/fake-stripe.ts` answers the SDK on a local port",
  '(`STRIPE_API_HOST`, `STRIPE_API_PORT`, `STRIPE_API_PROTOCOL`) and tests sign deliveries with the SDK.',
  '',
  '**`POST /webhooks/stripe`** verifies the signature over the raw body (`stripe-signature`, timestamps',
  'within 5 minutes) under each secret of `STRIPE_WEBHOOK_SECRET`, so a rotation drops nothing; a',
  'delivery that fails answers 400 and is logged without its body; bodies over 256 KiB answer 413. Each',
  'event is recorded in `webhook_events` (unique provider and event id): a duplicate answers 200',
  '`{"outcome":"duplicate"}` and changes nothing. Stripe sends events in no particular order, so the',
  'handler reads the subscription, invoice or checkout session afresh from Stripe and keeps the newest',
  'reading. `invoice.payment_failed` tells the customer once per failed attempt of an invoice. Other',
  'event types answer `{"outcome":"ignored"}`.',
].join('\n');

const JOBS_README = [
  '',
  'With jobs on, a delivery is stored and queued (the job id is the event id) and answered at once with',
  '`{"outcome":"queued"}`; the worker applies it, with the retries of every job.',
  '',
  '`stripe-reconcile` runs daily at 04:30 UTC (`src/jobs/stripe-reconcile.ts`) and catches what webhooks',
  'missed: events Stripe reports as not delivered (`delivery_success: false`) go through the inbox like a',
  'delivery, so the retry Stripe sends later is a duplicate, and every subscription with an event since the',
  'last run (an hour of overlap; the last 30 days on a first run) is read afresh from Stripe and stored.',
].join('\n');

/**
 * Stripe billing (`--payments stripe`): checkout, portal, invoices, cancel and resume under
 * /api/v1/billing, plan gates on local state, and POST /webhooks/stripe on the shared inbox. Without
 * jobs a delivery is applied before it is answered (payments-stripe-inline), with jobs in the worker.
 */
export const paymentsStripe: ModuleManifest = {
  id: 'payments-stripe',
  description: 'Stripe billing: checkout, portal, invoices, plan gates, webhooks applied exactly once',
  when: (a) => a.payments === 'stripe',
  templateDirs: (a) => ['payments-stripe', ...(a.jobs === 'bullmq' ? [] : ['payments-stripe-inline'])],
  tables: () => ['billing', 'plan-usage'],
  dependencies: ['stripe'],
  env,
  slots: {
    deps: [
      {
        name: 'billing',
        imports: ["import { type Billing, createBilling } from './lib/billing/billing.js';"],
        type: 'Billing',
        create: 'createBilling(env, db)',
      },
    ],
    routes: [
      {
        imports: ["import { billingRoutes } from './modules/billing/index.js';"],
        path: '/api/v1',
        router: 'billingRoutes(deps)',
      },
      {
        imports: ["import { stripeWebhooks } from './modules/webhooks/stripe/index.js';"],
        path: '/webhooks/stripe',
        router: 'stripeWebhooks(deps)',
      },
    ],
    // Projects exist whenever payments do (payments needs auth, and every project with auth has projects).
    guards: [
      {
        imports: ["import { projectLimit } from './lib/billing/project-limit.js';"],
        path: '/api/v1/projects/*',
        guard: "projectLimit(deps, '/api/v1/projects')",
      },
    ],
    // Nothing listens there: a test that talks to Stripe starts test/fake-stripe.ts and points here.
    testEnv: [
      { name: 'STRIPE_SECRET_KEY', value: 'sk_test_fake' },
      { name: 'STRIPE_WEBHOOK_SECRET', value: 'whsec_test_secret' },
      { name: 'STRIPE_API_HOST', value: '127.0.0.1' },
      { name: 'STRIPE_API_PORT', value: '9' },
      { name: 'STRIPE_API_PROTOCOL', value: 'http' },
      // Other modules' tests make as many rows as they need; the billing tests turn limits back on.
      { name: 'PLAN_LIMITS', value: 'false' },
    ],
    readme: [{ title: 'Billing', body: README }],
  },
};

/** With jobs on, Stripe deliveries are applied by the worker: the `stripe-event` job. */
export const paymentsStripeJobs: ModuleManifest = {
  id: 'payments-stripe-jobs',
  description: 'Stripe deliveries applied in the worker: the webhook stores and queues them',
  when: (a) => a.payments === 'stripe' && a.jobs === 'bullmq',
  slots: {
    jobs: [
      {
        name: 'stripe-event',
        imports: [
          "import type { StripeEventRef } from '../modules/webhooks/stripe/events.js';",
          "import { stripeEventJob } from './stripe-event.js';",
        ],
        data: 'StripeEventRef',
        handler: 'stripeEventJob(deps)',
      },
      {
        name: 'stripe-reconcile',
        imports: ["import { stripeReconcileJob } from './stripe-reconcile.js';"],
        data: 'Record<string, never>',
        handler: 'stripeReconcileJob(deps)',
        cron: '30 4 * * *',
      },
    ],
    readme: [{ title: 'Billing in the worker', body: JOBS_README.trim() }],
  },
};

const AI_README = [
  '`aiTokens` limits the tokens (input, cached and output) a user’s AI requests use in a UTC month, read',
  'from the `ai_usage` ledger: `POST /api/v1/ai/*` answers 402 naming the plan that allows more once the',
  'month’s tokens reach the plan’s limit. A request counts once it has finished, and the check comes',
  'before one starts: requests under way when the limit is reached still finish, so a burst of parallel',
  'requests can go past it together, each bounded by `AI_MAX_OUTPUT_TOKENS` and the AI rate limit. The AI',
  'budgets, in dollars, still apply on top, and those reserve before the call, so nothing slips past them.',
].join('\n');

/** With AI on, each plan also limits the AI tokens a user may use per month. */
export const paymentsAi: ModuleManifest = {
  id: 'payments-ai',
  description: 'AI tokens per month limited by plan (402 naming the plan that allows more)',
  when: (a) => a.payments === 'stripe' && a.ai.length > 0,
  slots: {
    guards: [
      {
        imports: ["import { aiTokenLimit } from './lib/billing/ai-token-limit.js';"],
        path: '/api/v1/ai/*',
        guard: 'aiTokenLimit(deps)',
      },
    ],
    readme: [{ title: 'AI tokens per plan', body: AI_README }],
  },
};
