import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, skipReason } from '../../test/helpers.js';
import { nextSettled } from '../../test/jobs.js';
import { runJobs } from './run.js';
import { SCHEDULES } from './schedules.js';

// The same start-up the worker process and the API with JOBS_IN_PROCESS=true go through.
describe.skipIf(skipReason)('runJobs', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let running: Awaited<ReturnType<typeof runJobs>>;
  beforeEach(async () => {
    t = await createTestApp();
    running = await runJobs({ env: t.env, logger: t.deps.logger, deps: t.deps });
  });
  afterEach(async () => {
    await running.stop(1_000);
    await t.close();
  });

  it('runs queued jobs with the registered handlers', async () => {
    const settled = nextSettled(running.worker);
    const id = await t.deps.jobs.enqueue('daily-report', {});
    expect(await settled).toMatchObject({ status: 'completed', job: { id, name: 'daily-report' } });
  });

  it('installs every schedule', async () => {
    const ids = (await t.deps.jobs.queue.getJobSchedulers()).map((s) => s.key);
    expect(ids.sort()).toEqual(SCHEDULES.map((s) => s.id).sort());
  });
});
