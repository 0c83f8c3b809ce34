import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh SQLite file in its own temporary folder, removed by `drop`. */
export const createTestDatabase = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'db-test-'));
  return {
    env: { DATABASE_URL: join(dir, 'test.db') },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
};
