import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from '../lib/logger.js';
import * as schema from './schema/index.js';

export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** The committed SQL migrations; the same path from src/db/ (tsx, vitest) and dist/db/ (build). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../src/db/migrations', import.meta.url));

/** drizzle-kit writes the journal with the first migration; until then there is nothing to apply. */
const hasMigrations = () => existsSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'));

/** Opens a pool on `url`, checks that the server answers and, when asked, applies pending migrations. */
export const createDb = async (url: string, options: { logger: Logger; migrate: boolean }): Promise<Db> => {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client whose server goes away emits 'error'; unhandled, it would crash the process. The pool
  // replaces it; an outage that requests run into is logged once, by the error handler (src/db/outage.ts).
  pool.on('error', (err) => options.logger.debug({ err }, 'postgres: idle client lost its connection'));
  const db = drizzle({ client: pool, schema });
  try {
    await pingDb(db);
    if (options.migrate && hasMigrations()) {
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      options.logger.debug('database migrated');
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return db;
};

export const pingDb = async (db: Db): Promise<void> => {
  await db.$client.query('select 1');
};

const closed = new WeakSet<pg.Pool>();

/** Safe to call twice: pg refuses a second `end()`. */
export const closeDb = async (db: Db): Promise<void> => {
  if (closed.has(db.$client)) return;
  closed.add(db.$client);
  await db.$client.end();
};
