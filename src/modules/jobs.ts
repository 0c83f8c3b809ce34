import type { ModuleManifest } from './types.js';

export const jobsBullmq: ModuleManifest = {
  id: 'jobs-bullmq',
  description: 'Background jobs on BullMQ: typed queue, worker process, retries, cron schedules, admin endpoints',
  when: (a) => a.jobs === 'bullmq',
  dependencies: ['bullmq'],
  scripts: {
    worker: 'NODE_ENV=production node dist/worker.js',
    'worker:dev': 'tsx watch --clear-screen=false src/worker.ts',
  },
  env: [
    {
      name: 'JOBS_CONCURRENCY',
      example: '5',
      description: 'Jobs one worker process runs at the same time',
      schema: 'z.coerce.number().int().positive().default(5)',
    },
    {
      name: 'JOBS_IN_PROCESS',
      example: 'false',
      description: 'Also run the job worker inside the API process (one-machine deploys whose data is on its disk)',
      schema: 'z.stringbool().default(false)',
    },
    {
      name: 'ADMIN_TOKEN',
      example: '',
      description:
        'Bearer token for /api/v1/admin/* endpoints, 32+ random characters (openssl rand -base64 32); unset turns them off',
      schema: 'z.string().min(32).optional()',
      local: 'random',
      secret: true,
    },
  ],
  slots: {
    deps: [
      {
        name: 'jobs',
        imports: ["import { createJobs, type Jobs } from './jobs/queue.js';"],
        type: 'Jobs',
        // Under the app's Redis prefix, so a test (or a second app) with its own prefix has its own queue.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal of the generated code
        create: 'await createJobs({ url: env.REDIS_URL, prefix: `${env.REDIS_KEY_PREFIX}jobs`, logger })',
        close: 'deps.jobs.close()',
        ready: 'deps.jobs.ping()',
      },
    ],
    processes: [
      {
        name: 'worker',
        command: 'node dist/worker.js',
        why: 'queued and scheduled jobs (src/worker.ts)',
        inApi: 'JOBS_IN_PROCESS',
      },
    ],
    background: [
      {
        imports: ["import { runJobs } from './jobs/run.js';"],
        why: 'JOBS_IN_PROCESS=true: this process is also the job worker',
        start: 'env.JOBS_IN_PROCESS ? await runJobs({ env, logger, deps }) : undefined',
      },
    ],
    routes: [
      {
        imports: ["import { adminJobsRoutes } from './modules/admin-jobs/index.js';"],
        path: '/api/v1',
        router: 'adminJobsRoutes(deps)',
      },
    ],
    readme: [
      {
        title: 'Background jobs',
        body: [
          'Jobs run in a separate process on BullMQ (Redis): `npm run worker:dev` in development, `npm run',
          'worker` after `npm run build` in production. Run as many workers as you like, next to the API.',
          "Where the data lives on one machine's disk (SQLite, local uploads), `JOBS_IN_PROCESS=true` runs the",
          'worker inside the API process instead; the generated deploy files set it there.',
          '',
          '```ts',
          "await deps.jobs.enqueue('daily-report', {}); // as soon as a worker is free",
          "await deps.jobs.enqueueIn(60_000, 'daily-report', {}); // in a minute at the earliest",
          '```',
          '',
          'Declare a job in `src/jobs/registry.ts`: its data type in `JobData`, its handler in `handlers`.',
          'A job that throws is retried up to 5 times with exponential backoff (1 s, 2 s, 4 s, 8 s); throw',
          "BullMQ's `UnrecoverableError` to fail at once. Failed jobs are kept 30 days.",
          '',
          'Schedules (`src/jobs/schedules.ts`, cron in UTC): `daily-report` at 06:00 logs the queue counts;',
          '`weekly-cleanup` on Sundays at 03:00 runs the cleanup of `src/cleanup.ts` (soft-deleted rows, orphaned',
          'files), the same as `npm run cleanup`.',
          '',
          'On `SIGTERM` a worker takes no new job and lets active ones finish within `SHUTDOWN_TIMEOUT_MS`;',
          'a job cut at the deadline is picked up again by another worker.',
          '',
          'Admin endpoints, with `Authorization: Bearer $ADMIN_TOKEN` (off while `ADMIN_TOKEN` is unset):',
          '',
          '- `GET /api/v1/admin/jobs`: job counts by state.',
          '- `GET /api/v1/admin/jobs/failed?limit=50`: failed jobs with the reason of their last attempt.',
          '- `POST /api/v1/admin/jobs/{id}/retry`: queue a failed job again.',
        ].join('\n'),
      },
    ],
  },
};

/** With jobs on, email goes through a job: `deps.email` queues, the worker sends through `deps.emailTransport`. */
export const emailJobs: ModuleManifest = {
  id: 'email-jobs',
  description: 'Email sent from the worker: `deps.email.send` queues a send-email job',
  when: (a) => a.jobs === 'bullmq' && a.email !== 'none',
  slots: {
    deps: [{ name: 'emailTransport', imports: [], type: 'Email', create: 'email' }],
    depOverrides: [
      { name: 'email', imports: ["import { queuedEmail } from './jobs/send-email.js';"], value: 'queuedEmail(jobs)' },
    ],
    jobs: [
      {
        name: 'send-email',
        imports: [
          "import type { EmailMessage } from '../lib/email/email.js';",
          "import { sendEmailJob } from './send-email.js';",
        ],
        data: 'EmailMessage',
        handler: 'sendEmailJob(deps.emailTransport)',
      },
    ],
  },
};
