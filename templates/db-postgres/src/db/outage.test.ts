import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, createTestDatabase, listen, skipReason, type TestDatabase } from '../../test/helpers.js';
import { expectOutageAnswer } from '../../test/outage.js';
import { startTcpProxy } from '../../test/tcp-proxy.js';
import { createRouter } from '../lib/router.js';
import { isDbUnavailable } from './outage.js';

describe('which errors are an outage', () => {
  it('counts a refused connection, a dropped one and a server shutting down, wrapped or not', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(isDbUnavailable(refused)).toBe(true);
    expect(isDbUnavailable(new Error('Failed query: select 1', { cause: shutdown }))).toBe(true);
    expect(isDbUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDbUnavailable(Object.assign(new Error('no connection'), { code: '08006' }))).toBe(true);
  });

  it('leaves out errors of the query itself', () => {
    expect(isDbUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isDbUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isDbUnavailable('not an error')).toBe(false);
  });
});

describe.skipIf(skipReason)('while the database is unreachable', () => {
  let database: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    // The app reaches the database through a proxy, so the test can cut it off without touching the server.
    proxy = await startTcpProxy(database.env.DATABASE_URL);
    t = await createTestApp({ DATABASE_URL: proxy.url, LOG_LEVEL: 'info' }, database);
    const { db } = t.deps;
    t.app.route(
      '/api/v1',
      createRouter().get('/answer', async (c) => c.json((await db.execute(sql`select 42 as answer`)).rows[0])),
    );
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server.stop();
    await t.close();
    await proxy.kill();
    await database.drop();
  });

  const logged = (msg: string) => t.logs.filter((line) => line.msg === msg);

  it('answers 503 with Retry-After, stays up, and logs the outage and its end once each', async () => {
    const ask = () => fetch(`${server.url}/api/v1/answer`);
    expect(await (await ask()).json()).toEqual({ answer: 42 });
    await proxy.kill();

    for (let i = 0; i < 3; i++) {
      await expectOutageAnswer(await ask());
    }
    expect(logged('database is unavailable: answering 503 until it is back')).toHaveLength(1);
    expect(logged('unhandled error')).toEqual([]);

    await proxy.revive();
    await vi.waitFor(() => expect(logged('database is available again')).toHaveLength(1), { timeout: 5_000 });
    expect(await (await ask()).json()).toEqual({ answer: 42 });
    expect(logged('database is unavailable: answering 503 until it is back')).toHaveLength(1);
  });
});
