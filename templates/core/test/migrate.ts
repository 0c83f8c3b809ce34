import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `npm run db:migrate` (src/db/migrate.ts, through the project's tsx) against `DATABASE_URL`: its output. */
export const migrate = (DATABASE_URL: string) =>
  run(join('node_modules', '.bin', 'tsx'), ['src/db/migrate.ts'], { env: { ...process.env, DATABASE_URL } });

/** The exit code and error output of a `migrate` that must fail (rejects if it succeeds). */
export const migrateFailure = (DATABASE_URL: string) =>
  migrate(DATABASE_URL).then(
    () => Promise.reject(new Error('db:migrate succeeded')),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  );
