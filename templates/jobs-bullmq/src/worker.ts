import { boot } from './boot.js';
import { closeDeps } from './deps.js';
import { runJobs } from './jobs/run.js';
import { flushLogger } from './lib/logger.js';

// The worker process: runs queued and scheduled jobs, apart from the API so a slow job never delays a request.

const { env, logger, deps } = await boot();
const running = await runJobs({ env, logger, deps });

let stopping = false;
const shutdown = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker shutting down');
  // Backstop: whatever hangs, the process is gone by the deadline.
  setTimeout(() => process.exit(1), env.SHUTDOWN_TIMEOUT_MS).unref();
  // Active jobs get most of the deadline; closing dependencies gets the rest.
  const finished = await running.stop(env.SHUTDOWN_TIMEOUT_MS * 0.8);
  if (!finished) logger.warn('active jobs cut at the shutdown deadline; another worker picks them up');
  await closeDeps(deps);
  logger.info('worker stopped');
  await flushLogger(logger);
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
