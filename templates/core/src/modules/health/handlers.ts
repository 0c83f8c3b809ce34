import type { RouteHandler } from '@hono/zod-openapi';
import { type AppDeps, readinessChecks } from '../../deps.js';
import type { AppEnv } from '../../lib/app-env.js';
import { problem } from '../../lib/errors.js';
import type { liveRoute, readyRoute } from './routes.js';

/** A hung dependency must fail the probe, not hang it. */
const CHECK_TIMEOUT_MS = 2_000;

const withTimeout = async <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** The handlers of ./routes.ts: liveness, and readiness over every dependency's check. */
export const healthHandlers = (deps: AppDeps) => {
  const checks = Object.entries(readinessChecks(deps));

  const live: RouteHandler<typeof liveRoute, AppEnv> = (c) => c.json({ status: 'ok' as const }, 200);

  const ready: RouteHandler<typeof readyRoute, AppEnv> = async (c) => {
    const results = await Promise.all(
      checks.map(async ([name, check]) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, 'pass'] as const;
        } catch (err) {
          // The reason goes to the log only: it can name hosts and users.
          deps.logger.warn({ err, check: name }, 'readiness check failed');
          return [name, 'fail'] as const;
        }
      }),
    );
    const failing = results.filter(([, result]) => result === 'fail').map(([name]) => name);
    const byName = Object.fromEntries(results);
    if (failing.length > 0) return problem(c, 503, { detail: `Not ready: ${failing.join(', ')}`, checks: byName });
    return c.json({ status: 'ready' as const, checks: byName }, 200);
  };

  return { live, ready };
};
