import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, createTestDatabase, skipReason, type TestDatabase } from '../../test/helpers.js';
import { dailyReport } from './daily-report.js';

describe.skipIf(skipReason)('scheduled jobs', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, database);
  });
  afterEach(() => t.close());

  it('reports the queue of the last day', async () => {
    await t.deps.jobs.enqueue('daily-report', {});
    const report = await dailyReport(t.deps);
    expect(report).toMatchObject({ jobs: { waiting: 1, failed: 0 }, failedLastDay: 0 });
    expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'daily report', report }));
  });
});
