import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.js';
import { createLogger } from '../lib/logger.js';
import { closeDb, createDb, type Db, pingDb } from './client.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

describe('sqlite client', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    db = await createDb(database.env.DATABASE_URL, { logger, migrate: true });
  });
  afterEach(() => closeDb(db));

  it('opens the file in WAL mode with foreign keys on', () => {
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('answers a ping', async () => {
    await expect(pingDb(db)).resolves.toBeUndefined();
  });

  it('can be closed twice', async () => {
    await closeDb(db);
    await expect(pingDb(db)).rejects.toThrow();
  });
});
