import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { problem } from '../../lib/errors.js';
import { createRouter } from '../../lib/router.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics in the Prometheus text format, for a scraper sending `Authorization: Bearer
 * <METRICS_TOKEN>`. Without METRICS_TOKEN it is not served here (404): scrape METRICS_PORT instead.
 * Left out of /openapi.json: it is for the scraper, not API clients.
 */
export const metricsRoutes = ({ env, metrics }: AppDeps) => {
  const router = createRouter();
  // Compared as digests: equal lengths, and a constant time that reveals nothing about the token.
  const expected = env.METRICS_TOKEN === undefined ? undefined : digest(env.METRICS_TOKEN);
  router.get('/metrics', async (c) => {
    if (!expected)
      return problem(c, 404, { detail: 'Metrics are served on METRICS_PORT, or here once METRICS_TOKEN is set' });
    const given = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      c.header('WWW-Authenticate', 'Bearer');
      return problem(c, 401, { detail: 'Send the metrics token as Authorization: Bearer <token>' });
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
  return router;
};
