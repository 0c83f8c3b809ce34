import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from '../lib/logger.js';
import { QUEUE_NAME, type QueueConnection } from './queue.js';
import type { Handler, Handlers, JobName } from './registry.js';

export interface WorkerOptions extends QueueConnection {
  logger: Logger;
  /** A job without a handler (left from an older release, say) fails at once. */
  handlers: Partial<Handlers>;
  /** Jobs run at the same time by this process. */
  concurrency: number;
  /** Called after each attempt that completed or failed, with how long it ran. */
  onSettled?: (job: SettledJob) => void;
}

export interface SettledJob {
  name: JobName;
  state: 'completed' | 'failed';
  seconds: number;
}

/** How long the attempt ran, from BullMQ's own timestamps. */
const secondsOf = (job: Job) => ((job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now())) / 1000;

export interface RunningWorker {
  worker: Worker;
  /**
   * Takes no new job and waits for the active ones. Resolves true once they are done, or false at
   * `deadlineMs`: handlers then get an abort signal; the attempt fails and is retried later. A handler
   * that ignores the signal runs on until the process exits, and BullMQ hands its job to another worker
   * once the lock expires.
   */
  stop: (deadlineMs: number) => Promise<boolean>;
}

export const startWorker = ({
  url,
  prefix,
  logger,
  handlers,
  concurrency,
  onSettled,
}: WorkerOptions): RunningWorker => {
  const worker = new Worker(
    QUEUE_NAME,
    async (job, _token, signal) => {
      const handler = handlers[job.name as JobName] as Handler | undefined;
      if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
      return handler(job.data, signal);
    },
    // Blocking commands wait for jobs as long as it takes: BullMQ requires maxRetriesPerRequest: null here.
    { connection: { url, maxRetriesPerRequest: null }, prefix, concurrency },
  );
  worker.on('completed', (job) => {
    logger.info({ job: { id: job.id, name: job.name } }, 'job done');
    onSettled?.({ name: job.name as JobName, state: 'completed', seconds: secondsOf(job) });
  });
  worker.on('failed', (job, err) => {
    if (job) onSettled?.({ name: job.name as JobName, state: 'failed', seconds: secondsOf(job) });
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
    logger[final ? 'error' : 'warn'](
      { err, job: job && { id: job.id, name: job.name, attempt: job.attemptsMade } },
      final ? 'job failed, kept in the failed list' : 'job attempt failed, will retry',
    );
  });
  worker.on('error', (err) => logger.error({ err }, 'worker error'));

  return {
    worker,
    stop: (deadlineMs) =>
      new Promise<boolean>((resolve) => {
        const deadline = setTimeout(() => {
          worker.cancelAllJobs('worker shutting down');
          resolve(false);
        }, deadlineMs);
        void worker.close().then(() => {
          clearTimeout(deadline);
          resolve(true);
        });
      }),
  };
};
