import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppDeps } from '../../deps.js';

/** The label of every request no route matched: random paths (scanners, typos) add no series. */
export const UNMATCHED = 'unmatched';

/**
 * Counts every request and times it to the last byte of its response. A streamed body (Server-Sent
 * Events, a download) is timed until it ends or the client goes away (`outcome` completed or
 * aborted), not until the handler returns, which for a 30-second AI stream would say a millisecond.
 */
export const httpMetrics =
  ({ metrics }: AppDeps): MiddlewareHandler =>
  async (c, next) => {
    const started = performance.now();
    await next();
    // The route template (/api/v1/projects/:id), never the raw path: middleware matches every path (ALL).
    const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL')?.path ?? UNMATCHED;
    const labels = { method: c.req.method, route, status_class: `${Math.floor(c.res.status / 100)}xx` };
    metrics.httpRequests.inc(labels);
    if (c.res.status === 429) metrics.rateLimited.inc({ route });
    let timed = false;
    // Once: a cancel also ends the read under way.
    const done = (outcome: 'completed' | 'aborted') => {
      if (timed) return;
      timed = true;
      metrics.httpDuration.observe({ ...labels, outcome }, (performance.now() - started) / 1000);
    };

    const body = c.res.body;
    if (!body || !isStreamed(c.res.headers)) return done('completed');
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
            done('aborted');
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

/** Bodies written over time: event streams and file downloads. The rest is timed when the handler returns. */
const isStreamed = (headers: Headers) =>
  headers.get('content-type')?.startsWith('text/event-stream') === true || headers.has('content-disposition');
