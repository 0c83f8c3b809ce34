import type { AppDeps } from '../deps.js';
import type { Env } from '../env.js';
import type { Logger } from '../lib/logger.js';
import { handlers } from './registry.js';
import { upsertSchedules } from './schedules.js';
import { type RunningWorker, startWorker } from './worker.js';

/**
 * Starts taking queued and scheduled jobs in this process: the worker process (src/worker.ts), or
 * the API itself with JOBS_IN_PROCESS=true, for a deploy whose data lives on one machine's disk.
 */
export const runJobs = async ({ env, logger, deps }: { env: Env; logger: Logger; deps: AppDeps }) => {
  const running: RunningWorker = startWorker({
    url: env.REDIS_URL,
    prefix: deps.jobs.prefix,
    logger,
    handlers: handlers(deps),
    concurrency: env.JOBS_CONCURRENCY,
  });
  await upsertSchedules(deps.jobs.queue);
  logger.info({ concurrency: env.JOBS_CONCURRENCY }, 'worker started');
  return running;
};
