import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.js';
import { createLogger } from '../lib/logger.js';
import { closeDb, createDb, type Db, pingDb } from './client.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

describe('postgres client', () => {
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

  it('answers a ping', async () => {
    await expect(pingDb(db)).resolves.toBeUndefined();
  });

  it('can be closed twice', async () => {
    await closeDb(db);
    await expect(pingDb(db)).rejects.toThrow();
  });

  it('refuses to start when the server cannot be reached', async () => {
    await expect(createDb('postgres://postgres@127.0.0.1:1/none', { logger, migrate: false })).rejects.toThrow();
  });
});
