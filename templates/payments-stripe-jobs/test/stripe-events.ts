import { handlers } from '../src/jobs/registry.js';
import { type RunningWorker, startWorker } from '../src/jobs/worker.js';
import type { TestApp } from './helpers.js';

const workers = new WeakMap<TestApp, RunningWorker>();

/**
 * Deliveries are queued: runs a worker on the app's queue (once per app, stopped with it) until no
 * job is waiting or running. A job that failed for good fails the test.
 */
export const settleStripeEvents = async (t: TestApp) => {
  if (!workers.has(t)) {
    const { url, prefix } = { url: t.env.REDIS_URL, prefix: t.deps.jobs.prefix };
    const worker = startWorker({ url, prefix, logger: t.deps.logger, handlers: handlers(t.deps), concurrency: 4 });
    workers.set(t, worker);
    const close = t.close;
    t.close = async () => {
      await worker.stop(1_000);
      await close();
    };
  }
  for (;;) {
    const counts = await t.deps.jobs.counts();
    if (counts.failed > 0)
      throw new Error(`${counts.failed} job(s) failed: ${JSON.stringify(await t.deps.jobs.failed(5))}`);
    if (counts.waiting + counts.active + counts.delayed + counts.prioritized === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** What a delivery that took effect answers: it is queued, and the worker applies it. */
export const APPLIED = 'queued';
