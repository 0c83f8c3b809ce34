import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason, type TestApp } from '../../test/helpers.js';
import { nextSettled } from '../../test/jobs.js';
import { usageLedger } from '../db/schema/usage-ledger.js';
import { SYSTEM } from '../lib/usage/recorder.js';
import { runJobs } from './run.js';

describe.skipIf(skipReason)('jobs in the usage ledger', () => {
  let t: TestApp;
  let running: Awaited<ReturnType<typeof runJobs>>;
  beforeAll(async () => {
    t = await createTestApp();
    running = await runJobs({ env: t.env, logger: t.deps.logger, deps: t.deps });
  });
  afterAll(async () => {
    await running.stop(1_000);
    await t.close();
  });

  it('meters each job the worker completed as jobs.run', async () => {
    for (let i = 0; i < 2; i++) {
      const settled = nextSettled(running.worker);
      await t.deps.jobs.enqueue('daily-report', {});
      expect(await settled).toMatchObject({ status: 'completed' });
    }
    await t.deps.usage.flush();
    const rows = await t.deps.db
      .select({ quantity: usageLedger.quantity })
      .from(usageLedger)
      .where(and(eq(usageLedger.userKey, SYSTEM), eq(usageLedger.metric, 'jobs.run')));
    expect(rows).toEqual([{ quantity: 2 }]);
  });
});
