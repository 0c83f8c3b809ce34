import { Writable } from 'node:stream';
import { createApp } from '../src/app.js';
import { closeDeps, createDeps } from '../src/deps.js';
import { parseEnv } from '../src/env.js';
import { createLogger } from '../src/lib/logger.js';
import { startServer } from '../src/server.js';
// Both come from the chosen db and cache modules: same exports, different services.
import { cacheUnavailable, createTestCache } from './cache.js';
import { createTestDatabase } from './db.js';

/** Why tests that need the whole app are skipped here (a service is not configured), or undefined. */
export const skipReason = cacheUnavailable;

/** Collects pino's JSON lines so tests can read what was logged. */
const logSink = (lines: Record<string, unknown>[]) =>
  new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });

export type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;
export { createTestDatabase };

/**
 * The real app on real local parts: a fresh cache namespace, and `database` when given (start one
 * per test file with createTestDatabase: it takes a moment), else a fresh one dropped on close.
 * Logs are captured in `logs` (raise LOG_LEVEL to see them); `env` overrides any variable.
 */
export const createTestApp = async (env: Record<string, string> = {}, database?: TestDatabase) => {
  const ownDatabase = database ? undefined : await createTestDatabase();
  const cache = await createTestCache();
  const dropOwn = async () => {
    await cache.drop();
    await ownDatabase?.drop();
  };
  const parsed = parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...(database ?? ownDatabase)?.env,
    ...cache.env,
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const deps = await createDeps(parsed, createLogger(parsed, logSink(logs))).catch(async (err: unknown) => {
    await dropOwn();
    throw err;
  });
  return {
    app: createApp(deps),
    deps,
    logs,
    close: async () => {
      await closeDeps(deps);
      await dropOwn();
    },
  };
};

/** Serves `app` on a free loopback port, for tests that need a real socket (client IP, shutdown). */
export const listen = async (app: ReturnType<typeof createApp>) => {
  const server = await startServer(app, { port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(1_000) };
};
