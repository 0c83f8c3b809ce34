import type { AppDeps } from '../../deps.js';
import type { Logger } from '../logger.js';
import { reportUsageToStripe } from './stripe-report.js';

/** How often this process sends Stripe the hours that have closed since. */
const EVERY_MS = 15 * 60_000;

/**
 * Without a job worker the API process sends billed usage to Stripe itself. With several instances
 * each one does: an hour sent twice is one event at Stripe (same identifier) and one row here.
 */
export const startUsageReports = ({ logger, deps }: { logger: Logger; deps: AppDeps }) => {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= reportUsageToStripe(deps)
      .then(() => undefined)
      .catch((err: unknown) => logger.error({ err }, 'usage: sending meter events to Stripe failed; retried later'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, EVERY_MS);
  return {
    /** Stops the timer and waits, up to `deadlineMs`, for a run under way; false when it had to be cut. */
    stop: async (deadlineMs: number) => {
      clearInterval(timer);
      if (!running) return true;
      let timeout: NodeJS.Timeout | undefined;
      const cut = new Promise<false>((resolve) => {
        timeout = setTimeout(() => resolve(false), deadlineMs);
      });
      const finished = await Promise.race([running.then(() => true), cut]);
      clearTimeout(timeout);
      return finished;
    },
  };
};
