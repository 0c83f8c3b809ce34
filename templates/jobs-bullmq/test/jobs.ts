import type { Job, Worker } from 'bullmq';
import { pino } from 'pino';
import type { AppDeps } from '../src/deps.js';
import { createJobs } from '../src/jobs/queue.js';
import type { Handlers } from '../src/jobs/registry.js';
import { startWorker, type WorkerOptions } from '../src/jobs/worker.js';
import { createTestCache } from './cache.js';

/**
 * A queue under a Redis prefix of its own, so parallel test runs never see each other's jobs, and
 * workers on it with the handlers a test gives. `close` stops them and deletes every key.
 */
export const createTestJobs = async () => {
  const cache = await createTestCache();
  const logger = pino({ level: 'silent' });
  const url = cache.env.REDIS_URL;
  const jobs = await createJobs({ url, prefix: `${cache.env.REDIS_KEY_PREFIX}jobs`, logger });
  const workers: ReturnType<typeof startWorker>[] = [];
  return {
    jobs,
    startWorker: (handlers: Partial<Handlers>, concurrency = 1) => {
      const running = startWorker({ url, prefix: jobs.prefix, logger, handlers, concurrency });
      workers.push(running);
      return running;
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.stop(1_000)));
      await jobs.close();
      await cache.drop();
    },
  };
};

/** The next job `worker` completes, or fails for good (no attempt left). */
export const nextSettled = (worker: Worker) =>
  new Promise<{ job: Job; status: 'completed' | 'failed'; error?: Error }>((resolve) => {
    const completed = (job: Job) => {
      worker.off('failed', failed);
      resolve({ job, status: 'completed' });
    };
    const failed = (job: Job | undefined, error: Error) => {
      if (!job || (job.attemptsMade < (job.opts.attempts ?? 1) && error.name !== 'UnrecoverableError')) return;
      worker.off('completed', completed);
      resolve({ job, status: 'failed', error });
    };
    worker.once('completed', completed);
    worker.on('failed', failed);
  });

/** A worker on the app's own queue whose daily-report always fails; `onSettled` sees each attempt. */
export const startFailingWorker = (deps: AppDeps, onSettled?: WorkerOptions['onSettled']) =>
  startWorker({
    url: deps.env.REDIS_URL,
    prefix: deps.jobs.prefix,
    logger: deps.logger,
    handlers: {
      'daily-report': async () => {
        throw new Error('report database unreachable');
      },
    },
    concurrency: 1,
    ...(onSettled && { onSettled }),
  });
