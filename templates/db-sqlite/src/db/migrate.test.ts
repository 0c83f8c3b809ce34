import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.js';

const run = promisify(execFile);

describe('npm run db:migrate', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('creates the database folder on a fresh checkout, then applies the migrations', async () => {
    const file = join(database.env.DATABASE_URL, '..', 'not', 'there', 'yet', 'app.db');
    await run(join('node_modules', '.bin', 'drizzle-kit'), ['migrate'], {
      env: { ...process.env, DATABASE_URL: file },
    });
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    const applied = db.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    db.close();
    expect(applied.n).toBeGreaterThan(0);
  }, 30_000);
});
