import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason, type TestApp } from '../../../test/helpers.js';
import { nextSettled, startFailingWorker } from '../../../test/jobs.js';
import { sampleValue } from '../../../test/metrics.js';
import { runJobs } from '../../jobs/run.js';
import { observeJob } from './jobs.js';

describe.skipIf(skipReason)('job metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const value = (name: string, labels: Record<string, string>) => sampleValue(t.deps.metrics, name, labels);

  it('counts and times each attempt the worker settles, completed or failed', async () => {
    const running = await runJobs({ env: t.env, logger: t.deps.logger, deps: t.deps });
    let settled = nextSettled(running.worker);
    await t.deps.jobs.enqueue('daily-report', {});
    expect(await settled).toMatchObject({ status: 'completed' });
    await running.stop(1_000);

    const failing = startFailingWorker(t.deps, (job) => observeJob(t.deps.metrics, job));
    settled = nextSettled(failing.worker);
    await t.deps.jobs.enqueue('daily-report', {}, { attempts: 1 });
    expect(await settled).toMatchObject({ status: 'failed' });
    await failing.stop(1_000);

    const completed = { job: 'daily-report', state: 'completed' };
    expect(await value('job_attempts_total', completed)).toBe(1);
    expect(await value('job_attempts_total', { job: 'daily-report', state: 'failed' })).toBe(1);
    const count = await t.deps.metrics.registry.getSingleMetric('job_duration_seconds')?.get();
    const runs = count?.values.filter(
      (v) => (v as { metricName?: string }).metricName === 'job_duration_seconds_count',
    );
    expect(runs?.map((v) => v.value)).toEqual([1, 1]);
  });
});
