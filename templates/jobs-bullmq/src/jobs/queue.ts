import { type JobsOptions, Queue } from 'bullmq';
import type { Logger } from '../lib/logger.js';
import type { JobData, JobName } from './registry.js';

/** One queue holds every job; the job name picks the handler. */
export const QUEUE_NAME = 'jobs';

/**
 * Every job is tried up to 5 times, waiting 1 s, 2 s, 4 s, 8 s between tries. Completed jobs are
 * trimmed after a day; failed ones stay 30 days, for GET /api/v1/admin/jobs/failed and a retry.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * How long the API waits for Redis to answer a queue command. The queue sends no blocking command (the
 * worker does, on a connection of its own), so a command slower than this means Redis is hung.
 */
export const QUEUE_COMMAND_TIMEOUT_MS = 5_000;

/** The states GET /api/v1/admin/jobs counts. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface FailedJob {
  id: string;
  name: string;
  reason: string;
  attempts: number;
  failedAt: string | undefined;
}

export type RetryResult = 'retried' | 'not-found' | 'not-failed';

/** The producer side: what the API uses to add and inspect jobs. The worker (./worker.ts) runs them. */
export interface Jobs {
  /** Adds a job to run as soon as a worker is free; resolves to its id. */
  enqueue<N extends JobName>(name: N, data: JobData[N], options?: JobsOptions): Promise<string>;
  /** Adds a job that runs `delayMs` from now at the earliest. */
  enqueueIn<N extends JobName>(delayMs: number, name: N, data: JobData[N], options?: JobsOptions): Promise<string>;
  counts(): Promise<Record<JobState, number>>;
  /** The most recently failed jobs, newest first, with the reason of their last attempt. */
  failed(limit: number): Promise<FailedJob[]>;
  /** Puts a failed job back in the queue with a fresh set of attempts. */
  retry(id: string): Promise<RetryResult>;
  queue: Queue;
  /** The Redis key prefix, for a worker on the same queue. */
  prefix: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface QueueConnection {
  url: string;
  /** Redis key prefix of the queue, so several apps (or test runs) can share one Redis. */
  prefix: string;
}

export const createJobs = async ({ url, prefix, logger }: QueueConnection & { logger: Logger }): Promise<Jobs> => {
  // No offline queue: while Redis is down, enqueue fails at once instead of holding the request; and a
  // Redis that takes the connection but does not answer fails it after QUEUE_COMMAND_TIMEOUT_MS.
  const queue = new Queue(QUEUE_NAME, {
    connection: { url, enableOfflineQueue: false, commandTimeout: QUEUE_COMMAND_TIMEOUT_MS },
    prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  // Callers see the failure as a rejected promise and readiness fails; the cache logs the outage once.
  queue.on('error', (err) => logger.debug({ err }, 'jobs queue: redis error'));
  await queue.waitUntilReady();

  const add = async (name: JobName, data: unknown, options?: JobsOptions) => {
    const job = await queue.add(name, data, options);
    return String(job.id);
  };

  return {
    enqueue: (name, data, options) => add(name, data, options),
    enqueueIn: (delayMs, name, data, options) => add(name, data, { ...options, delay: delayMs }),
    counts: async () => {
      const counts = await queue.getJobCounts(...JOB_STATES);
      return Object.fromEntries(JOB_STATES.map((state) => [state, counts[state] ?? 0])) as Record<JobState, number>;
    },
    failed: async (limit) => {
      const jobs = await queue.getFailed(0, limit - 1);
      return jobs.map((job) => ({
        id: String(job.id),
        name: job.name,
        reason: job.failedReason,
        attempts: job.attemptsMade,
        failedAt: job.finishedOn === undefined ? undefined : new Date(job.finishedOn).toISOString(),
      }));
    },
    retry: async (id) => {
      const job = await queue.getJob(id);
      if (!job) return 'not-found';
      if ((await job.getState()) !== 'failed') return 'not-failed';
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return 'retried';
    },
    queue,
    prefix,
    ping: async () => {
      await queue.getJobCountByTypes('waiting');
    },
    close: () => queue.close(),
  };
};
