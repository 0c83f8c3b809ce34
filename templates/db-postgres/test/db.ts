import { randomBytes } from 'node:crypto';
import pg from 'pg';

const admin = async (serverUrl: string, sql: string) => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** A new database on the server at DATABASE_URL; `drop` removes it and touches nothing else. */
const databaseOnServer = async (serverUrl: string) => {
  const name = `test_${randomBytes(8).toString('hex')}`;
  await admin(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: () => admin(serverUrl, `drop database if exists ${name} with (force)`),
  };
};

/** In-memory PGlite served over the Postgres wire protocol, so tests run the same `pg` driver offline. */
const pgliteDatabase = async () => {
  // Imported here: development-only packages, and PGlite takes a moment to start.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  // Above the app pool's 10: the server frees a closed connection's slot a moment later.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 30 });
  await server.start();
  return {
    env: { DATABASE_URL: `postgres://postgres@${server.getServerConn()}/postgres` },
    drop: async () => {
      await server.stop();
      await db.close();
    },
  };
};

/** A fresh, empty database for one test file: on a real server when DATABASE_URL is set, else PGlite. */
export const createTestDatabase = () => {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? databaseOnServer(serverUrl) : pgliteDatabase();
};
