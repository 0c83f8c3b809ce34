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
  'The modules of this project meter their own work too (below). Meter yours the same way, with a',
  'positive integer and a dotted metric name:',
  '',
  '```ts',
  "deps.usage.record(user.id, 'reports.exported');",
  "deps.usage.record(user.id, 'import.rows', rows.length);",
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

const AI_README = [
  'Each AI request’s tokens (input, cached and output) are metered as `ai.tokens` for its caller when its',
  '`ai_usage` row is written (`src/lib/usage/ai.ts`).',
].join('\n');

/** With AI on: each request's tokens metered as `ai.tokens`. */
export const usageAi: ModuleManifest = {
  id: 'usage-ai',
  description: 'AI tokens metered as ai.tokens for the caller of each AI request',
  when: (a) => a.extras.includes('usage') && a.ai.length > 0,
  slots: {
    depOverrides: [
      {
        name: 'ai',
        imports: [
          "import { meteredAi } from './lib/usage/ai.js';",
          "import { keyOwner } from './modules/usage/owner.js';",
        ],
        value: 'meteredAi(ai, usage, keyOwner)',
      },
    ],
    readme: [{ title: 'AI usage', body: AI_README }],
  },
};

const FILES_README = [
  'Each file stored (an upload through `POST /api/v1/files`, or a confirmed presigned upload) counts one',
  '`storage.uploads` and its size in `storage.bytes` for whoever stored it. Deleting a file gives nothing',
  'back: these count what was stored, not what is kept.',
].join('\n');

/** With files on: uploads and their bytes. */
export const usageFiles: ModuleManifest = {
  id: 'usage-files',
  description: 'Stored files metered as storage.uploads and storage.bytes',
  when: (a) => a.extras.includes('usage') && a.storage !== 'none',
  slots: {
    guards: [
      {
        imports: ["import { meterFiles } from './modules/usage/meter-files.js';"],
        path: '/api/v1/files/*',
        guard: "meterFiles(deps, '/api/v1/files')",
      },
    ],
    readme: [{ title: 'Storage usage', body: FILES_README }],
  },
};

/** The work the app does on its own, metered under `system`. */
const SYSTEM_README = (what: string) =>
  `${what}, under the caller \`system\` (it is the app’s own work, whoever it was for).`;

/** With email on: each message a provider took, as `email.sent`. */
export const usageEmail: ModuleManifest = {
  id: 'usage-email',
  description: 'Emails sent metered as email.sent',
  when: (a) => a.extras.includes('usage') && a.email !== 'none' && a.jobs === 'none',
  slots: {
    depOverrides: [
      {
        name: 'email',
        imports: ["import { meteredEmail } from './lib/usage/email.js';"],
        value: 'meteredEmail(email, usage)',
      },
    ],
    readme: [{ title: 'Email usage', body: SYSTEM_README('Each email a provider took counts one `email.sent`') }],
  },
};

/** With email sent by the worker, its transport is the one metered. */
export const usageEmailJobs: ModuleManifest = {
  id: 'usage-email-jobs',
  templateDir: 'usage-email',
  description: 'Emails sent by the worker metered as email.sent',
  when: (a) => a.extras.includes('usage') && a.email !== 'none' && a.jobs === 'bullmq',
  slots: {
    depOverrides: [
      {
        name: 'emailTransport',
        imports: ["import { meteredEmail } from './lib/usage/email.js';"],
        value: 'meteredEmail(emailTransport, usage)',
      },
    ],
    readme: [
      {
        title: 'Email usage',
        body: SYSTEM_README(
          'Each email the worker’s provider took counts one `email.sent` (queued ones count once sent)',
        ),
      },
    ],
  },
};

/** With jobs on: each job the worker completed, as `jobs.run`. */
export const usageJobs: ModuleManifest = {
  id: 'usage-jobs',
  description: 'Jobs completed metered as jobs.run',
  when: (a) => a.extras.includes('usage') && a.jobs === 'bullmq',
  slots: {
    jobsSettled: [
      {
        imports: ["import { SYSTEM } from '../lib/usage/recorder.js';"],
        run: "if (job.state === 'completed') deps.usage.record(SYSTEM, 'jobs.run')",
      },
    ],
    readme: [{ title: 'Jobs usage', body: SYSTEM_README('Each job the worker completed counts one `jobs.run`') }],
  },
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
