import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, createTestDatabase, skipReason, type TestDatabase } from '../../../test/helpers.js';
import { createTestScope } from '../../../test/scope.js';
import { usageLedger } from '../../db/schema/usage-ledger.js';
import { createUsage } from './recorder.js';

/** No timer flush during a test unless it asks for one. */
const HOUR = '3600000';

describe.skipIf(skipReason)('usage recorder', () => {
  let database: TestDatabase;
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  beforeAll(async () => {
    [database, scope] = await Promise.all([createTestDatabase(), createTestScope()]);
  });
  afterAll(() => Promise.all([database.drop(), scope.close()]));

  const appOn = (flushMs = HOUR) => createTestApp({ ...scope.env, USAGE_FLUSH_INTERVAL_MS: flushMs }, database);
  const ledger = async (t: Awaited<ReturnType<typeof appOn>>) => {
    const rows = await t.deps.db.select().from(usageLedger);
    return rows.filter((row) => row.metric === 'api.requests');
  };
  const clear = async (t: Awaited<ReturnType<typeof appOn>>) => t.deps.db.delete(usageLedger);

  it('counts N requests in memory and writes them in one flush, as one row per caller and hour', async () => {
    const t = await appOn();
    try {
      await clear(t);
      const caller = await scope.caller();
      const answers = await Promise.all(
        Array.from({ length: 25 }, () => t.app.request('/api/v1/usage', { headers: caller })),
      );
      expect(answers.every((res) => res.status === 200)).toBe(true);
      // Nothing reached the database on the request path.
      expect(await ledger(t)).toEqual([]);
      await t.deps.usage.flush();
      const rows = await ledger(t);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.quantity).toBe(25);
      // The next batch adds to the same hour's row.
      await Promise.all(Array.from({ length: 5 }, () => t.app.request('/api/v1/usage', { headers: caller })));
      await t.deps.usage.flush();
      expect((await ledger(t)).map((row) => row.quantity)).toEqual([30]);
    } finally {
      await t.close();
    }
  });

  it('writes what is left when the app closes, before the database does', async () => {
    const t = await appOn();
    await clear(t);
    const caller = await scope.caller();
    for (let i = 0; i < 3; i++) await t.app.request('/api/v1/usage', { headers: caller });
    await t.close();
    const next = await appOn();
    try {
      expect((await ledger(next)).map((row) => row.quantity)).toEqual([3]);
    } finally {
      await next.close();
    }
  });

  it('flushes every USAGE_FLUSH_INTERVAL_MS', async () => {
    const t = await appOn('50');
    try {
      await clear(t);
      await t.app.request('/api/v1/usage', { headers: await scope.caller() });
      await vi.waitFor(async () => expect((await ledger(t)).map((row) => row.quantity)).toEqual([1]), {
        timeout: 2_000,
      });
    } finally {
      await t.close();
    }
  });

  it('buckets by UTC hour and ignores quantities that are not positive integers', async () => {
    const t = await appOn();
    let now = new Date('2025-03-01T10:59:59.999Z');
    const usage = createUsage(t.deps.db, t.deps.logger, { flushMs: 3_600_000, now: () => now });
    try {
      usage.record('someone', 'test.units', 2);
      usage.record('someone', 'test.units', 0);
      usage.record('someone', 'test.units', 1.5);
      now = new Date('2025-03-01T11:00:00.000Z');
      usage.record('someone', 'test.units', 3);
      usage.record('someone-else', 'test.units', 4);
      await usage.close();
      const rows = (await t.deps.db.select().from(usageLedger)).filter((row) => row.metric === 'test.units');
      const seen = rows.map((row) => `${row.userKey} ${row.hour.toISOString()} ${row.quantity}`).sort();
      expect(seen).toEqual([
        'someone 2025-03-01T10:00:00.000Z 2',
        'someone 2025-03-01T11:00:00.000Z 3',
        'someone-else 2025-03-01T11:00:00.000Z 4',
      ]);
    } finally {
      await t.close();
    }
  });
});
