import { existsSync } from 'node:fs';
import { closeDeps, createDeps } from './deps.js';
import { parseEnv } from './env.js';
import { handlers } from './jobs/registry.js';
import { upsertSchedules } from './jobs/schedules.js';
import { startWorker } from './jobs/worker.js';
import { createLogger } from './lib/logger.js';

// The worker process: runs queued and scheduled jobs, apart from the API so a slow job never delays a request.

// Variables already set in the environment win over .env.
if (existsSync('.env')) process.loadEnvFile('.env');

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}

const logger = createLogger(env);
const deps = await createDeps(env, logger).catch((err: unknown) => {
  logger.fatal({ err }, 'could not open dependencies');
  process.exit(1);
});
const running = startWorker({
  url: env.REDIS_URL,
  prefix: deps.jobs.prefix,
  logger,
  handlers: handlers(deps),
  concurrency: env.JOBS_CONCURRENCY,
});
await upsertSchedules(deps.jobs.queue);
logger.info({ concurrency: env.JOBS_CONCURRENCY }, 'worker started');

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
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
