import type { AppDeps } from '../deps.js';

/**
 * The daily report: how the queue did over the last day, in one log line your log platform can alert
 * on. Add what your product needs (sign-ups, revenue, ...) here; the return value is kept with the job.
 */
export const dailyReport = async ({ jobs, logger }: AppDeps) => {
  const counts = await jobs.counts();
  const since = Date.now() - 24 * 3600 * 1000;
  const failedToday = (await jobs.failed(1_000)).filter((job) => job.failedAt && Date.parse(job.failedAt) >= since);
  const report = { jobs: counts, failedLastDay: failedToday.length };
  logger.info({ report }, 'daily report');
  return report;
};
