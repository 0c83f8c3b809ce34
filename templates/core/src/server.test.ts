import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDatabase, skipReason, type TestDatabase } from '../test/helpers.js';
import { startServer } from './server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipReason)('graceful shutdown', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());
  afterEach(() => t.close());

  const serveSlowRoute = async (delayMs: number) => {
    t = await createTestApp({}, database);
    t.app.get('/slow', async (c) => {
      await sleep(delayMs);
      return c.text('finished');
    });
    const server = await startServer(t.app, { port: 0, host: '127.0.0.1' });
    return { server, url: `http://127.0.0.1:${server.port}` };
  };

  it('finishes an in-flight request, then refuses new connections', async () => {
    const { server, url } = await serveSlowRoute(300);
    await fetch(`${url}/health`); // leaves an idle keep-alive connection, which must not hold shutdown up
    const inFlight = fetch(`${url}/slow`);
    await sleep(50);
    const started = Date.now();
    const drained = await server.stop(5_000);
    expect(drained).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finished');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('cuts requests still running at the deadline', async () => {
    const { server, url } = await serveSlowRoute(5_000);
    const inFlight = fetch(`${url}/slow`).catch((err: unknown) => err);
    await sleep(50);
    const started = Date.now();
    expect(await server.stop(200)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await inFlight).toBeInstanceOf(Error);
  });
});
