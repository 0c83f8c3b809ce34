import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, skipReason, type TestApp } from '../../../test/helpers.js';
import { startMetricsServer } from '../../lib/metrics/server.js';

const TOKEN = 'metrics-test-token-0123456789abcdef';

/** A port nothing listens on right now. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** `name{labels} value` lines of the Prometheus text format, as [series, value] pairs. */
const parse = (text: string) =>
  text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const at = line.lastIndexOf(' ');
      return [line.slice(0, at), Number(line.slice(at + 1))] as const;
    });

describe.skipIf(skipReason)('GET /metrics', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers the Prometheus text format to the bearer of METRICS_TOKEN, after traffic', async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN });
    for (let i = 0; i < 3; i++) await t.app.request('/health');
    await t.app.request('/no/such/path');
    const res = await t.app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const series = new Map(parse(await res.text()));
    expect(series.get('http_requests_total{method="GET",route="/health",status_class="2xx"}')).toBe(3);
    expect(series.get('http_requests_total{method="GET",route="unmatched",status_class="4xx"}')).toBe(1);
    expect(series.has('process_resident_memory_bytes')).toBe(true);
  });

  it('refuses a missing or wrong token, and is off without one', async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN });
    expect((await t.app.request('/metrics')).status).toBe(401);
    // The scheme is case-insensitive (RFC 7235); the token is not.
    expect((await t.app.request('/metrics', { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
    const wrong = await t.app.request('/metrics', { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    await t.close();
    t = await createTestApp();
    expect((await t.app.request('/metrics')).status).toBe(404);
  });

  it('serves /metrics on METRICS_PORT without a token, and nothing else there', async () => {
    t = await createTestApp();
    const port = await freePort();
    const options = { port, host: '127.0.0.1', logger: t.deps.logger, metrics: t.deps.metrics };
    const server = await startMetricsServer(options);
    try {
      await t.app.request('/health');
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('http_requests_total{method="GET",route="/health",status_class="2xx"} 1');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      // A port already taken stops the boot instead of leaving the process unscraped.
      await expect(startMetricsServer(options)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      expect(await server?.stop(1_000)).toBe(true);
    }
  });
});
