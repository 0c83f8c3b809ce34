import { createRoute, z } from '@hono/zod-openapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDatabase, skipReason, type TestDatabase } from '../../test/helpers.js';
import { createRouter } from './router.js';

/** A throwaway route with a validated body and one that fails, to exercise the error paths. */
const withTestRoutes = (app: Awaited<ReturnType<typeof createTestApp>>['app']) => {
  const echo = createRoute({
    method: 'post',
    path: '/echo',
    request: { body: { content: { 'application/json': { schema: z.object({ name: z.string().min(1) }) } } } },
    responses: {
      200: { description: 'echo', content: { 'application/json': { schema: z.object({ name: z.string() }) } } },
    },
  });
  const router = createRouter()
    .openapi(echo, (c) => c.json(c.req.valid('json'), 200))
    .get('/boom', () => {
      throw new Error('database password is hunter2');
    });
  app.route('/api/v1', router);
  return app;
};

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe.skipIf(skipReason)('errors are RFC 9457 problem+json', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());
  afterEach(() => t.close());

  it('404', async () => {
    t = await createTestApp({}, database);
    const res = await t.app.request('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/nowhere',
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('400 on a body that fails validation, listing each problem', async () => {
    t = await createTestApp({}, database);
    const app = withTestRoutes(t.app);
    const res = await app.request('/api/v1/echo', json({ name: '' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { errors: unknown };
    expect(body).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(body.errors).toEqual([expect.objectContaining({ path: 'name' })]);
    expect((await app.request('/api/v1/echo', json({ name: 'ok' }))).status).toBe(200);
  });

  it('400 on malformed JSON', async () => {
    t = await createTestApp({}, database);
    const res = await withTestRoutes(t.app).request('/api/v1/echo', json('{"name":'));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('413 on a body over BODY_LIMIT_BYTES', async () => {
    t = await createTestApp({ BODY_LIMIT_BYTES: '64' }, database);
    const res = await withTestRoutes(t.app).request('/api/v1/echo', json({ name: 'x'.repeat(100) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('500 without the message or a stack trace, which go to the log', async () => {
    t = await createTestApp({ LOG_LEVEL: 'error' }, database);
    const res = await withTestRoutes(t.app).request('/api/v1/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('stack');
    expect(JSON.parse(text)).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'unhandled error' }));
  });

  it('500 with the stack in development, to debug locally', async () => {
    t = await createTestApp({ NODE_ENV: 'development' }, database);
    const res = await withTestRoutes(t.app).request('/api/v1/boom');
    expect(await res.json()).toMatchObject({
      status: 500,
      detail: 'database password is hunter2',
      stack: expect.any(String),
    });
  });
});
