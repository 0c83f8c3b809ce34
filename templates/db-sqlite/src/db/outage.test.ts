import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, listen, skipReason } from '../../test/helpers.js';
import { expectOutageAnswer } from '../../test/outage.js';
import { createRouter } from '../lib/router.js';
import { isDbUnavailable } from './outage.js';

describe('which errors are an outage', () => {
  it('counts a database locked by another process, disk errors and a file that cannot be opened', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN', 'SQLITE_FULL'])
      expect(isDbUnavailable(Object.assign(new Error(code), { code })), code).toBe(true);
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(isDbUnavailable(new Error('Failed query: insert', { cause: busy }))).toBe(true);
  });

  it('leaves out errors of the query itself', () => {
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR'])
      expect(isDbUnavailable(Object.assign(new Error(code), { code })), code).toBe(false);
    expect(isDbUnavailable('not an error')).toBe(false);
  });
});

describe.skipIf(skipReason)('while another process holds the database', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' });
    const { db } = t.deps;
    db.run(sql`create table notes (body text)`);
    // The app waits busy_timeout (5 s) for a lock before giving up; the test need not wait that long.
    db.$client.pragma('busy_timeout = 0');
    t.app.route(
      '/api/v1',
      createRouter().post('/notes', (c) => {
        db.run(sql`insert into notes values ('hello')`);
        return c.body(null, 204);
      }),
    );
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server.stop();
    await t.close();
  });

  const logged = (msg: string) => t.logs.filter((line) => line.msg === msg);

  it('answers 503 with Retry-After, stays up, and logs the outage and its end once each', async () => {
    const write = () => fetch(`${server.url}/api/v1/notes`, { method: 'POST' });
    expect((await write()).status).toBe(204);
    // Another process (a migration, a backup, a script) takes the write lock and keeps it.
    const other = new Database(t.env.DATABASE_URL);
    other.exec('begin immediate');

    for (let i = 0; i < 3; i++) {
      await expectOutageAnswer(await write());
    }
    expect(logged('database is unavailable: answering 503 until it is back')).toHaveLength(1);
    expect(logged('unhandled error')).toEqual([]);

    other.exec('rollback');
    other.close();
    await vi.waitFor(() => expect(logged('database is available again')).toHaveLength(1), { timeout: 5_000 });
    expect((await write()).status).toBe(204);
    expect(logged('database is unavailable: answering 503 until it is back')).toHaveLength(1);
  });
});
