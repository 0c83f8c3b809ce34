import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.js';

const run = promisify(execFile);
const migrate = (DATABASE_URL: string) =>
  run(join('node_modules', '.bin', 'tsx'), ['src/db/migrate.ts'], { env: { ...process.env, DATABASE_URL } });

describe('npm run db:migrate', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('applies the migrations, and again finds nothing to do', async () => {
    for (let i = 0; i < 2; i++)
      expect((await migrate(database.env.DATABASE_URL)).stdout).toBe('db:migrate: the database is up to date\n');
  }, 30_000);

  it('says why in one line, and exits 1, when the server does not answer', async () => {
    const failure = await migrate('postgres://postgres:postgres@127.0.0.1:1/app').catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure).toMatchObject({ code: 1 });
    const { stderr } = failure as { stderr: string };
    expect(stderr).toMatch(/^db:migrate: .*ECONNREFUSED.*\n$/);
  }, 30_000);
});
