import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Seconds: from a fast cached read to a long AI stream. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The app's Prometheus metrics, in a registry of its own (never prom-client's global one, so two apps
 * in one process, as in tests, never mix): process metrics (CPU, memory, event loop, GC), HTTP
 * requests by method, route template and status class, and rate-limit refusals.
 */
export const createMetrics = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_class'] as const;
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status class',
      labelNames,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'http_rate_limited_total',
      help: 'Requests refused by a rate limit (429), by route template',
      labelNames: ['route'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to the last byte of the response (streams included), by outcome',
      labelNames: [...labelNames, 'outcome'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
  };
};

export type Metrics = ReturnType<typeof createMetrics>;
