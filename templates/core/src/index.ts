import { existsSync } from 'node:fs';
import { createApp } from './app.js';
import { closeDeps, createDeps } from './deps.js';
import { parseEnv } from './env.js';
import { createLogger, flushLogger } from './lib/logger.js';
import { startServer } from './server.js';

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
const server = await startServer(createApp(deps), { port: env.PORT, host: env.HOST }).catch((err: unknown) => {
  logger.fatal({ err }, `cannot listen on ${env.HOST}:${env.PORT}`);
  process.exit(1);
});
logger.info({ port: server.port, env: env.NODE_ENV }, `listening on http://${env.HOST}:${server.port}`);

let stopping = false;
const shutdown = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // Backstop: whatever hangs (a dependency that never closes), the process is gone by the deadline.
  setTimeout(() => process.exit(1), env.SHUTDOWN_TIMEOUT_MS).unref();
  // Requests get most of the deadline; closing dependencies gets the rest.
  const drained = await server.stop(env.SHUTDOWN_TIMEOUT_MS * 0.8);
  if (!drained) logger.warn('in-flight requests cut at the shutdown deadline');
  await closeDeps(deps);
  logger.info('stopped');
  await flushLogger(logger);
  // Nothing is left open, so the process now exits by itself, with code 0.
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
