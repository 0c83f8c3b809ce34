import type { ModuleManifest } from './types.js';

const README = [
  'Prometheus metrics (`prom-client`, in a registry of the app’s own): `http_requests_total` and',
  '`http_request_duration_seconds` by `method`, `route` (the route template, `/api/v1/projects/:id`; every',
  'path no route matched is `unmatched`, and a method other than the usual seven is `OTHER`, so scanners',
  'add no series) and `status_class` (`2xx`...),',
  '`http_rate_limited_total` (429s by route), plus the process metrics of Node.js (CPU, memory, event loop',
  'delay, GC). A streamed response (Server-Sent',
  'Events, a download) is timed until its last byte, with `outcome` `completed`, `aborted` (the client',
  'went away) or `error` (the stream failed). No user ids or raw paths are ever labels.',
  '',
  'Scraping: with `METRICS_TOKEN` set, `GET /metrics` answers a scraper sending',
  '`Authorization: Bearer <METRICS_TOKEN>` (Prometheus: `authorization: { credentials: ... }` in the scrape',
  'config). Without it, `GET /metrics` is off (404); set `METRICS_PORT` instead to serve `/metrics` on a',
  'port of its own, without a token, for a scraper on the private network. It listens on `HOST` (every',
  'interface by default): keep that port closed to the internet. A port already taken stops the boot.',
  '',
  '`ops/grafana/dashboard.json` is a Grafana dashboard of these series (Dashboards > New > Import), with',
  'a Prometheus data source to pick: traffic, 5xx share, p50/p99 latency per route, streams cut by',
  'clients, CPU, memory, event loop delay and heap. A test checks that it queries only series the app',
  'exports.',
].join('\n');

/** Prometheus metrics (`--extras metrics`): HTTP and process metrics, GET /metrics, a Grafana dashboard. */
export const metrics: ModuleManifest = {
  id: 'metrics',
  description: 'Prometheus metrics: HTTP requests by route template and status, process metrics, GET /metrics',
  when: (a) => a.extras.includes('metrics'),
  dependencies: ['prom-client'],
  env: [
    {
      name: 'METRICS_TOKEN',
      example: '',
      description: 'Bearer token a scraper sends to GET /metrics, 32+ characters (unset: /metrics is off here)',
      schema: 'z.string().min(32).optional()',
      secret: true,
    },
    {
      name: 'METRICS_PORT',
      example: '',
      description: 'Serve /metrics without a token on this port instead, for a scraper on the private network',
      schema: 'z.coerce.number().int().min(1).max(65535).optional()',
    },
  ],
  slots: {
    deps: [
      {
        name: 'metrics',
        imports: ["import { createMetrics, type Metrics } from './lib/metrics/metrics.js';"],
        type: 'Metrics',
        create: 'createMetrics()',
      },
    ],
    observers: [
      {
        imports: ["import { httpMetrics } from './lib/metrics/http.js';"],
        observer: 'httpMetrics(deps)',
      },
    ],
    routes: [
      {
        imports: ["import { metricsRoutes } from './modules/metrics/index.js';"],
        path: '/',
        router: 'metricsRoutes(deps)',
      },
    ],
    background: [
      {
        imports: ["import { startMetricsServer } from './lib/metrics/server.js';"],
        why: '/metrics on METRICS_PORT, when set',
        start: 'await startMetricsServer({ port: env.METRICS_PORT, host: env.HOST, logger, metrics: deps.metrics })',
      },
    ],
    readme: [{ title: 'Metrics', body: README }],
  },
};

/** With AI on: AI requests, tokens and cost by provider and model. */
export const metricsAi: ModuleManifest = {
  id: 'metrics-ai',
  description: 'AI requests, tokens and cost as Prometheus counters by provider and model',
  when: (a) => a.extras.includes('metrics') && a.ai.length > 0,
  slots: {
    depOverrides: [
      { name: 'ai', imports: ["import { measuredAi } from './lib/metrics/ai.js';"], value: 'measuredAi(ai, metrics)' },
    ],
    readme: [
      {
        title: 'AI metrics',
        body: [
          '`ai_requests_total` (by `provider`, `model` and `status`), `ai_tokens_total` (by `kind`: `input`,',
          '`cached_input`, `cache_write`, `output`) and `ai_cost_usd_total`, counted as each request’s `ai_usage`',
          'row is written (`src/lib/metrics/ai.ts`).',
        ].join('\n'),
      },
    ],
  },
};

/** With jobs on: job attempts and durations, and the worker's own /metrics on WORKER_METRICS_PORT. */
export const metricsJobs: ModuleManifest = {
  id: 'metrics-jobs',
  description: 'Job attempts and durations by job and state; the worker serves its own /metrics',
  when: (a) => a.extras.includes('metrics') && a.jobs === 'bullmq',
  env: [
    {
      name: 'WORKER_METRICS_PORT',
      example: '',
      description: 'Port the worker process serves its /metrics on, for a scraper on the private network (unset: none)',
      schema: 'z.coerce.number().int().min(1).max(65535).optional()',
    },
  ],
  slots: {
    jobsSettled: [
      {
        imports: ["import { observeJob } from '../lib/metrics/jobs.js';"],
        run: 'observeJob(deps.metrics, job)',
      },
    ],
    workerBackground: [
      {
        imports: ["import { startMetricsServer } from './lib/metrics/server.js';"],
        why: '/metrics of this process on WORKER_METRICS_PORT, when set',
        start:
          'await startMetricsServer({ port: env.WORKER_METRICS_PORT, host: env.HOST, logger, metrics: deps.metrics })',
      },
    ],
    readme: [
      {
        title: 'Job metrics',
        body: [
          '`job_attempts_total` and `job_duration_seconds` by `job` (its name) and `state` (`completed`,',
          '`failed`), from the process that ran the attempt: the worker, which serves its own `/metrics` on',
          '`WORKER_METRICS_PORT` (scrape it beside the API), or the API with `JOBS_IN_PROCESS=true`.',
        ].join('\n'),
      },
    ],
  },
};
