import type { Queue } from 'bullmq';
import type { JobName } from './registry.js';

/** Repeatable jobs, as cron patterns in UTC. Redis keeps one schedule per id, however many workers run. */
export const SCHEDULES: { id: string; name: JobName; pattern: string }[] = [
  { id: 'daily-report', name: 'daily-report', pattern: '0 6 * * *' },
  { id: 'weekly-cleanup', name: 'weekly-cleanup', pattern: '0 3 * * 0' },
];

/** Creates or updates every schedule; safe to call from each worker at start. */
export const upsertSchedules = (queue: Queue) =>
  Promise.all(
    SCHEDULES.map(({ id, name, pattern }) => queue.upsertJobScheduler(id, { pattern, tz: 'UTC' }, { name, data: {} })),
  );
