import { existsSync } from 'node:fs';
import { envFields } from '../env.js';
import { createLogger } from '../lib/logger.js';
import { closeDb, createDb } from './client.js';

// `npm run db:migrate` (or db:migrate:deploy, from the build): applies the committed migrations
// (src/db/migrations) to DATABASE_URL, then exits.
// A release step runs it without the app's other variables, so only these are read. Failures are one line.

function fail(message: string): never {
  console.error(`db:migrate: ${message}`);
  process.exit(1);
}

if (existsSync('.env')) process.loadEnvFile('.env');
const parsed = envFields.pick({ NODE_ENV: true, LOG_LEVEL: true, DATABASE_URL: true }).safeParse(process.env);
if (!parsed.success) fail(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
const env = parsed.data;

try {
  await closeDb(await createDb(env.DATABASE_URL, { logger: createLogger(env), migrate: true }));
  console.log('db:migrate: the database is up to date');
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
