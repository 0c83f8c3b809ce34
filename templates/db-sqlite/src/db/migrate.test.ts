import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.js';
import { migrate, migrateFailure } from '../../test/migrate.js';

describe('npm run db:migrate', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('creates the database folder on a fresh checkout, then applies the migrations', async () => {
    const file = join(database.env.DATABASE_URL, '..', 'not', 'there', 'yet', 'app.db');
    const { stdout } = await migrate(file);
    expect(stdout).toBe('db:migrate: the database is up to date\n');
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    const applied = db.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    db.close();
    expect(applied.n).toBeGreaterThan(0);
  }, 30_000);

  it('says why in one line, and exits 1, when it cannot', async () => {
    // A folder where the database file should be.
    const { code, stderr } = await migrateFailure(join(database.env.DATABASE_URL, '..'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^db:migrate: .+\n$/);
    expect(stderr).not.toContain('    at ');
  }, 30_000);
});
