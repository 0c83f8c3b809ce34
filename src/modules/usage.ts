import type { ModuleManifest } from './types.js';

const README = [
  'Every request to `/api/*` is metered (`api.requests`) for the signed-in user who made it, or for',
  '`anonymous` when nobody signed it (every request of a project without auth). Metering stays off the',
  'request path: `deps.usage.record(userKey, metric, quantity)` adds to a counter in memory, and every',
  '`USAGE_FLUSH_INTERVAL_MS` (and on shutdown, before the database closes) the counters are written to',
  '`usage_ledger` as one upsert per batch, adding to the row of their caller, metric and UTC hour. The',
  'ledger grows with callers and hours, never with requests. A flush that fails keeps its counters for',
  'the next one; what a crash (not a shutdown) has not flushed yet is lost.',
  '',
  'Meter your own work the same way, with a positive integer and a dotted metric name:',
  '',
  '```ts',
  "deps.usage.record(user.id, 'ai.tokens', usage.outputTokens);",
  "deps.usage.record(user.id, 'storage.bytes', file.size);",
  '```',
  '',
  'Endpoints (usage is written every `USAGE_FLUSH_INTERVAL_MS`, so the last seconds may be missing):',
  '',
  '- `GET /api/v1/usage?days=30`: totals per metric and a daily trend (UTC days) over the window.',
].join('\n');

const AUTH_README = [
  '`GET /api/v1/usage` answers the signed-in user their own usage. Administrators also have',
  '`GET /api/v1/admin/usage?days=30&metric=api.requests&limit=10`: totals per metric with how many',
  'callers used it, and the heaviest users of one metric (user ids, `anonymous` among them).',
].join('\n');

const SHARED_README = [
  'This project has no users, so there is no per-user view and no admin one: `GET /api/v1/usage` answers',
  'every caller the totals of all of them.',
].join('\n');

/**
 * Usage metering (`--extras usage`): a ledger of per-user, per-metric, per-hour counts written in batches,
 * API requests metered on /api/*, and GET /api/v1/usage; usage-auth or usage-shared say whose usage it shows.
 */
export const usage: ModuleManifest = {
  id: 'usage',
  description: 'Usage metering: API requests and your own metrics counted per user and hour, in batches',
  when: (a) => a.extras.includes('usage'),
  tables: () => ['usage'],
  env: [
    {
      name: 'USAGE_FLUSH_INTERVAL_MS',
      example: '10000',
      description: 'How often metered usage held in memory is written to the usage ledger',
      schema: 'z.coerce.number().int().positive().default(10_000)',
    },
  ],
  slots: {
    deps: [
      {
        name: 'usage',
        imports: ["import { createUsage, type Usage } from './lib/usage/recorder.js';"],
        type: 'Usage',
        create: 'createUsage(db, logger, { flushMs: env.USAGE_FLUSH_INTERVAL_MS })',
        close: 'deps.usage.close()',
      },
    ],
    guards: [
      {
        imports: ["import { meterRequests } from './modules/usage/meter.js';"],
        path: '/api/*',
        guard: 'meterRequests(deps)',
      },
    ],
    routes: [
      {
        imports: ["import { usageRoutes } from './modules/usage/index.js';"],
        path: '/api/v1',
        router: 'usageRoutes(deps)',
      },
    ],
    readme: [{ title: 'Usage', body: README }],
  },
};

/** With users: each one's own usage, and everyone's for administrators. */
export const usageAuth: ModuleManifest = {
  id: 'usage-auth',
  description: "Usage per signed-in user, and everyone's totals for administrators",
  when: (a) => a.extras.includes('usage') && a.auth !== 'none',
  slots: { readme: [{ title: 'Usage per user', body: AUTH_README }] },
};

/** Without users: the totals of every caller. */
export const usageShared: ModuleManifest = {
  id: 'usage-shared',
  description: 'Usage totals of every caller (no users to tell apart)',
  when: (a) => a.extras.includes('usage') && a.auth === 'none',
  slots: { readme: [{ title: 'Usage without users', body: SHARED_README }] },
};

const STRIPE_README = [
  'Usage of the metrics listed in `src/lib/usage/meters.ts` (`api.requests` to start with) is billed',
  'through Stripe Billing meters. For each user with a Stripe customer, each billed metric and each UTC',
  'hour, Stripe gets one meter event (`stripe.billing.meterEvents.create`) with the hour’s total, once',
  'the hour has closed (and 3 flush intervals, at least 5 minutes, have passed). Each sent hour is kept',
  'in `usage_meter_events`. The event’s `identifier` (and idempotency key) is made from customer, meter',
  'and hour, so a retry, or a run cut off before it recorded what it sent, never bills twice. Events are',
  'stamped at the hour’s last second; hours older than 34 days are not sent, since Stripe refuses',
  'timestamps more than 35 days back.',
  '',
  'In Stripe: Billing > Meters > Create meter, event name `api_requests` (the value in `meters.ts`),',
  'aggregation Sum, default payload keys; then a product with a usage-based price on that meter, added',
  'to the subscriptions you sell (`stripe billing meters create --display-name "API requests"',
  '--event-name api_requests --default-aggregation.formula sum`). The tests send events to a local fake',
  '(`test/fake-stripe-meters.ts`).',
].join('\n');

/** With Stripe on: closed hours of billed usage sent to Stripe as meter events, once. */
export const usageStripe: ModuleManifest = {
  id: 'usage-stripe',
  description: 'Usage billed through Stripe meter events, one per customer, meter and hour, never twice',
  when: (a) => a.extras.includes('usage') && a.payments === 'stripe',
  tables: () => ['usage-stripe'],
  slots: { readme: [{ title: 'Usage-based billing', body: STRIPE_README }] },
};

/** Without a job worker, the API process sends the meter events itself, every 15 minutes. */
export const usageStripeInline: ModuleManifest = {
  id: 'usage-stripe-inline',
  description: 'Meter events sent to Stripe from the API process every 15 minutes (no job worker)',
  when: (a) => a.extras.includes('usage') && a.payments === 'stripe' && a.jobs === 'none',
  slots: {
    background: [
      {
        imports: ["import { startUsageReports } from './lib/usage/stripe-report-timer.js';"],
        why: 'billed usage sent to Stripe as meter events every 15 minutes',
        start: 'startUsageReports({ logger, deps })',
      },
    ],
  },
};

/** With jobs on, the worker sends the meter events: the `usage-report` job, every 15 minutes. */
export const usageStripeJobs: ModuleManifest = {
  id: 'usage-stripe-jobs',
  description: 'Meter events sent to Stripe by the worker every 15 minutes (usage-report job)',
  when: (a) => a.extras.includes('usage') && a.payments === 'stripe' && a.jobs === 'bullmq',
  slots: {
    jobs: [
      {
        name: 'usage-report',
        imports: ["import { usageReportJob } from './usage-report.js';"],
        data: 'Record<string, never>',
        handler: 'usageReportJob(deps)',
        cron: '*/15 * * * *',
      },
    ],
  },
};
