import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../deps.js';
import { httpMetrics, UNMATCHED } from './http.js';
import { createMetrics } from './metrics.js';

/** An app with only the metrics middleware in front of a few routes, and its registry's samples. */
const appWithMetrics = () => {
  const metrics = createMetrics();
  const app = new Hono();
  app.use(httpMetrics({ metrics } as AppDeps));
  app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
  // Matches /items/export too, but /items/:id answers it first.
  app.get('/items/export', (c) => c.text('never reached'));
  app.get('/broken', () => {
    const body = new ReadableStream({
      pull: () => Promise.reject(new Error('upstream gone')),
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  });
  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      for (let i = 0; i < 3; i++) {
        await stream.writeSSE({ data: String(i) });
        await stream.sleep(100);
      }
    }),
  );
  const samples = async (name: string) =>
    (await metrics.registry.getSingleMetric(name)?.get())?.values.map((v) => ({
      ...v.labels,
      series: (v as { metricName?: string }).metricName,
      value: v.value,
    })) ?? [];
  return { app, samples };
};

describe('HTTP metrics', () => {
  it('labels requests by the template of the route that answered and the status class, never the raw path', async () => {
    const { app, samples } = appWithMetrics();
    for (const id of ['1', '2', 'export']) expect((await app.request(`/items/${id}`)).status).toBe(200);
    expect(await samples('http_requests_total')).toEqual([
      { method: 'GET', route: '/items/:id', status_class: '2xx', value: 3 },
    ]);
  });

  it('labels a method outside the usual seven OTHER', async () => {
    const { app, samples } = appWithMetrics();
    for (const method of ['PROPFIND', 'MKCOL', 'BREW']) await app.request('/items/1', { method });
    expect(await samples('http_requests_total')).toEqual([
      { method: 'OTHER', route: UNMATCHED, status_class: '4xx', value: 3 },
    ]);
  });

  it('counts rate-limit refusals by route', async () => {
    const { app, samples } = appWithMetrics();
    app.get('/limited', (c) => c.text('slow down', 429));
    await app.request('/limited');
    await app.request('/items/1');
    expect(await samples('http_rate_limited_total')).toEqual([{ route: '/limited', value: 1 }]);
  });

  it('collapses 1,000 random unmatched paths into one series', async () => {
    const { app, samples } = appWithMetrics();
    for (let i = 0; i < 1000; i++) expect((await app.request(`/${randomUUID()}/${i}`)).status).toBe(404);
    expect(await samples('http_requests_total')).toEqual([
      { method: 'GET', route: UNMATCHED, status_class: '4xx', value: 1000 },
    ]);
  });

  it('times a streamed response until its body ends, not until the handler returns', async () => {
    const { app, samples } = appWithMetrics();
    const res = await app.request('/events');
    expect(await res.text()).toContain('data: 2');
    const [sum] = (await samples('http_request_duration_seconds')).filter(
      (s) => s.series === 'http_request_duration_seconds_sum',
    );
    expect(sum).toMatchObject({ route: '/events', outcome: 'completed' });
    expect(sum?.value).toBeGreaterThanOrEqual(0.25);
  });

  it('says error, not aborted, when the stream itself fails', async () => {
    const { app, samples } = appWithMetrics();
    const res = await app.request('/broken');
    await expect(res.text()).rejects.toThrow();
    const counts = (await samples('http_request_duration_seconds')).filter(
      (s) => s.series === 'http_request_duration_seconds_count',
    );
    expect(counts).toEqual([expect.objectContaining({ route: '/broken', outcome: 'error', value: 1 })]);
  });

  it('says aborted when the client stops reading a stream', async () => {
    const { app, samples } = appWithMetrics();
    const res = await app.request('/events');
    const reader = res.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    const counts = (await samples('http_request_duration_seconds')).filter(
      (s) => s.series === 'http_request_duration_seconds_count',
    );
    expect(counts).toEqual([expect.objectContaining({ route: '/events', outcome: 'aborted', value: 1 })]);
  });
});
