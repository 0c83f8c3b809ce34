import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheUnavailable } from '../../test/cache.js';
import { createTestJobs, nextSettled } from '../../test/jobs.js';
import { SCHEDULES, upsertSchedules } from './schedules.js';

describe.skipIf(cacheUnavailable)('jobs (BullMQ on a real Redis)', () => {
  let t: Awaited<ReturnType<typeof createTestJobs>>;
  beforeEach(async () => {
    t = await createTestJobs();
  });
  afterEach(() => t.close());

  it('runs an enqueued job in the worker, with its data', async () => {
    const seen: unknown[] = [];
    const { worker } = t.startWorker({ 'daily-report': async (data) => seen.push(data) });
    const settled = nextSettled(worker);

    const id = await t.jobs.enqueue('daily-report', {});

    expect(await settled).toMatchObject({ status: 'completed', job: { id, name: 'daily-report' } });
    expect(seen).toEqual([{}]);
  });

  it('retries a failing job with exponential backoff', async () => {
    const attempts: number[] = [];
    const { worker } = t.startWorker({
      'daily-report': async () => {
        attempts.push(Date.now());
        if (attempts.length < 3) throw new Error('not yet');
      },
    });
    const settled = nextSettled(worker);

    await t.jobs.enqueue('daily-report', {}, { attempts: 3, backoff: { type: 'exponential', delay: 100 } });

    expect((await settled).status).toBe('completed');
    const [first = 0, second = 0, third = 0] = attempts;
    // 100 ms, then 200 ms (a few ms of timer slack allowed).
    expect(second - first).toBeGreaterThanOrEqual(95);
    expect(third - second).toBeGreaterThanOrEqual(195);
  });

  it('keeps a job that failed every attempt, with its reason, and retries it on request', async () => {
    let broken = true;
    const { worker } = t.startWorker({
      'daily-report': async () => {
        if (broken) throw new Error('report database unreachable');
      },
    });
    const failed = nextSettled(worker);
    const id = await t.jobs.enqueue('daily-report', {}, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    expect((await failed).status).toBe('failed');

    expect(await t.jobs.failed(10)).toEqual([
      { id, name: 'daily-report', reason: 'report database unreachable', attempts: 2, failedAt: expect.any(String) },
    ]);
    expect(await t.jobs.counts()).toMatchObject({ failed: 1, waiting: 0, active: 0 });

    broken = false;
    const completed = nextSettled(worker);
    expect(await t.jobs.retry(id)).toBe('retried');
    expect(await completed).toMatchObject({ status: 'completed', job: { id } });
    expect(await t.jobs.counts()).toMatchObject({ failed: 0, completed: 1 });
    expect(await t.jobs.retry(id)).toBe('not-failed');
    expect(await t.jobs.retry('no-such-job')).toBe('not-found');
  });

  it('starts a job no earlier than enqueueIn asks', async () => {
    const { worker } = t.startWorker({ 'daily-report': async () => Date.now() });
    const settled = nextSettled(worker);
    const queuedAt = Date.now();

    await t.jobs.enqueueIn(300, 'daily-report', {});

    expect(await t.jobs.counts()).toMatchObject({ delayed: 1 });
    const { job } = await settled;
    expect(Number(job.returnvalue) - queuedAt).toBeGreaterThanOrEqual(300);
  });

  it('fails a job without a handler at once, without retries', async () => {
    const { worker } = t.startWorker({});
    const settled = nextSettled(worker);
    await t.jobs.enqueue('daily-report', {});
    const { status, job } = await settled;
    expect(status).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe('no handler for job daily-report');
  });

  it('lets the active job finish when the worker stops', async () => {
    let finished = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const worker = t.startWorker({
      'daily-report': async () => {
        started();
        await sleep(300);
        finished = true;
      },
    });
    await t.jobs.enqueue('daily-report', {});
    await running;

    expect(await worker.stop(5_000)).toBe(true);
    expect(finished).toBe(true);
    expect(await t.jobs.counts()).toMatchObject({ completed: 1, active: 0 });
  });

  it('aborts a job that outlasts the shutdown deadline', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const worker = t.startWorker({
      'daily-report': async (_data, signal) => {
        started();
        await sleep(5_000, undefined, { signal });
      },
    });
    await t.jobs.enqueue('daily-report', {});
    await running;

    const stoppedAt = Date.now();
    expect(await worker.stop(200)).toBe(false);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
  });

  it('schedules the daily report and the weekly cleanup, once however often workers start', async () => {
    await upsertSchedules(t.jobs.queue);
    await upsertSchedules(t.jobs.queue);

    const schedulers = await t.jobs.queue.getJobSchedulers();
    expect(
      schedulers.map((s) => ({ id: s.key, name: s.name, pattern: s.pattern })).sort((a, b) => a.id.localeCompare(b.id)),
    ).toEqual(
      SCHEDULES.map(({ id, name, pattern }) => ({ id, name, pattern })).sort((a, b) => a.id.localeCompare(b.id)),
    );
  });
});
