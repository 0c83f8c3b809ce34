import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Counter, Histogram } from 'prom-client';
import type { AppDeps } from '../../deps.js';

/** The label of every request no route matched: random paths (scanners, typos) add no series. */
export const UNMATCHED = 'unmatched';

type Outcome = 'completed' | 'aborted' | 'error';

/** Methods a label may name; anything else a client sends is `OTHER`, so it adds one series at most. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts every request and times it to the last byte of its response. A streamed body (Server-Sent
 * Events, a download) is timed until it ends (`outcome` completed), the client goes away (aborted) or
 * the stream fails (error), not until the handler returns, which for a 30-second AI stream would say a
 * millisecond. `completed` is the last chunk handed to Node, not read by the client.
 */
export const httpMetrics = ({ metrics }: AppDeps): MiddlewareHandler => {
  // The series of each method, route and status class, made once rather than a labels object per request.
  const series = new Map<
    string,
    { requests: Counter.Internal; duration: Record<Outcome, Histogram.Internal<string>> }
  >();
  const seriesOf = (method: string, route: string, statusClass: string) => {
    const key = `${method} ${route} ${statusClass}`;
    let found = series.get(key);
    if (!found) {
      const duration = (outcome: Outcome) => metrics.httpDuration.labels(method, route, statusClass, outcome);
      found = {
        requests: metrics.httpRequests.labels(method, route, statusClass),
        duration: { completed: duration('completed'), aborted: duration('aborted'), error: duration('error') },
      };
      series.set(key, found);
    }
    return found;
  };

  return async (c, next) => {
    const started = performance.now();
    await next();
    // The template of the route that answered (/api/v1/projects/:id), never the raw path; middleware
    // matches every path (ALL), and a later route may match the same path without answering it.
    const matched = matchedRoutes(c);
    const answered = matched.slice(c.req.routeIndex).find((r) => r.method !== 'ALL');
    const route = (answered ?? matched.findLast((r) => r.method !== 'ALL'))?.path ?? UNMATCHED;
    const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
    const { requests, duration } = seriesOf(method, route, `${Math.floor(c.res.status / 100)}xx`);
    requests.inc();
    if (c.res.status === 429) metrics.rateLimited.inc({ route });
    let timed = false;
    // Once: a cancel also ends the read under way.
    const done = (outcome: Outcome) => {
      if (timed) return;
      timed = true;
      duration[outcome].observe((performance.now() - started) / 1000);
    };

    // Headers first: reading `body` makes the Node adapter build a full Response, a slower path.
    if (method === 'HEAD' || !isStreamed(c.res.headers)) return done('completed');
    const body = c.res.body;
    if (!body) return done('completed');
    // Passes the chunks through untouched and stops the clock when the stream ends, fails or is cancelled.
    const reader = body.getReader();
    c.res = new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const chunk = await reader.read();
            if (!chunk.done) return controller.enqueue(chunk.value);
            controller.close();
            done('completed');
          } catch (err) {
            done('error');
            controller.error(err);
          }
        },
        async cancel(reason) {
          done('aborted');
          await reader.cancel(reason);
        },
      }),
      c.res,
    );
  };
};

/** Bodies written over time: event streams and file downloads. The rest is timed when the handler returns. */
const isStreamed = (headers: Headers) =>
  headers.get('content-type')?.startsWith('text/event-stream') === true || headers.has('content-disposition');
