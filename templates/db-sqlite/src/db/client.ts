import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Logger } from '../lib/logger.js';
import * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The committed SQL migrations; the same path from src/db/ (tsx, vitest) and dist/db/ (build). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../src/db/migrations', import.meta.url));

/** drizzle-kit writes the journal with the first migration; until then there is nothing to apply. */
const hasMigrations = () => existsSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'));

/** Opens the SQLite file at `path` (creating its folder) and, when asked, applies pending migrations. */
export const createDb = async (path: string, options: { logger: Logger; migrate: boolean }): Promise<Db> => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets readers run while a write is in progress; busy_timeout waits out a concurrent writer.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle({ client: sqlite, schema });
  if (options.migrate && hasMigrations()) {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    options.logger.debug({ path }, 'database migrated');
  }
  return db;
};

export const pingDb = async (db: Db): Promise<void> => {
  db.$client.prepare('select 1').get();
};

export const closeDb = async (db: Db): Promise<void> => {
  if (db.$client.open) db.$client.close();
};
