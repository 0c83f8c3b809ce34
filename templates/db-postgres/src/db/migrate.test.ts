import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.js';
import { migrate, migrateFailure } from '../../test/migrate.js';

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
    const { code, stderr } = await migrateFailure('postgres://postgres:postgres@127.0.0.1:1/app');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^db:migrate: .*ECONNREFUSED.*\n$/);
  }, 30_000);
});
