import { describe, expect, it } from 'vitest';
import { skipReason, useTestApp } from '../../test/helpers.js';
import { dailyReport } from './daily-report.js';

describe.skipIf(skipReason)('scheduled jobs', () => {
  const t = useTestApp(() => ({ LOG_LEVEL: 'info' }));

  it('reports the queue of the last day', async () => {
    await t.deps.jobs.enqueue('daily-report', {});
    const report = await dailyReport(t.deps);
    expect(report).toMatchObject({ jobs: { waiting: 1, failed: 0 }, failedLastDay: 0 });
    expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'daily report', report }));
  });
});
