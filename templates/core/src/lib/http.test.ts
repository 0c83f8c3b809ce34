import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, listen, skipReason } from '../../test/helpers.js';
import { createLogger } from './logger.js';

describe.skipIf(skipReason)('http layer', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://app.example.com', LOG_LEVEL: 'info' });
  });
  afterAll(() => t.close());

  it('gives every response a fresh request id', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(async () => (await t.app.request('/health')).headers.get('x-request-id')),
    );
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[\w-]+$/);
  });

  it('keeps a well-formed incoming request id and replaces anything else', async () => {
    const kept = await t.app.request('/health', { headers: { 'X-Request-Id': 'abc-123.x:y' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123.x:y');
    for (const bad of ['a'.repeat(129), 'has space', '<script>']) {
      const res = await t.app.request('/health', { headers: { 'X-Request-Id': bad } });
      expect(res.headers.get('x-request-id')).not.toBe(bad);
    }
  });

  it('sets security headers on every response, errors included', async () => {
    for (const path of ['/health', '/nowhere']) {
      const res = await t.app.request(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('marks API answers no-store, errors included, and leaves health probes alone', async () => {
    for (const path of ['/api/v1/nowhere', '/api/nowhere'])
      expect((await t.app.request(path)).headers.get('cache-control'), path).toBe('no-store');
    expect((await t.app.request('/health')).headers.get('cache-control')).toBeNull();
  });

  it('sends the same headers over a real socket, where they are written onto the Node response', async () => {
    const server = await listen(t.app);
    try {
      const res = await fetch(`${server.url}/health`, { headers: { Origin: 'https://app.example.com' } });
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(res.headers.get('content-type')).toBe('application/json');
      expect((await fetch(`${server.url}/api/v1/nowhere`)).headers.get('cache-control')).toBe('no-store');
      const docs = await fetch(`${server.url}/docs`);
      expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      await server.stop();
    }
  });

  it('allows a listed origin', async () => {
    const res = await t.app.request('/health', { headers: { Origin: 'https://app.example.com' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('vary')).toBe('Origin');
    const preflight = await t.app.request('/api/v1/things', {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('gives an unlisted origin no CORS headers, so the browser blocks it', async () => {
    const res = await t.app.request('/health', { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await t.app.request('/api/v1/things', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('logs one line per request with id, method, path, status and duration', async () => {
    const res = await t.app.request('/health?token=secret', { headers: { Authorization: 'Bearer secret' } });
    const line = t.logs.find((l) => l.requestId === res.headers.get('x-request-id'));
    expect(line).toMatchObject({ msg: 'request', method: 'GET', path: '/health', status: 200 });
    expect(typeof line?.ms).toBe('number');
    expect(JSON.stringify(t.logs)).not.toContain('secret');
  });
});

describe('logger', () => {
  it('redacts credentials', () => {
    const lines: string[] = [];
    const logger = createLogger(
      { NODE_ENV: 'production', LOG_LEVEL: 'info' },
      { write: (line: string) => lines.push(line) },
    );
    logger.info({ req: { headers: { authorization: 'Bearer abc', cookie: 'sid=abc' } } }, 'incoming');
    logger.info({ headers: { authorization: 'Bearer abc' } }, 'outgoing');
    expect(lines.join('')).not.toContain('abc');
    expect(lines.join('')).toContain('[redacted]');
  });
});
