import { existsSync } from 'node:fs';
import { type AppDeps, createDeps } from './deps.js';
import { type Env, parseEnv } from './env.js';
import { createLogger, type Logger } from './lib/logger.js';

/**
 * What every process (the API, the worker) does first: read the env, make the logger, open the
 * dependencies. Any failure ends the process with exit code 1 and a line saying why.
 */
export const boot = async (): Promise<{ env: Env; logger: Logger; deps: AppDeps }> => {
  // Variables already set in the environment win over .env.
  if (existsSync('.env')) process.loadEnvFile('.env');

  let env: Env;
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
  return { env, logger, deps };
};
