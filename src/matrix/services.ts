/**
 * Real PostgreSQL and Redis for tiers 1 and 2: a fresh database per combination, and a Redis
 * database index per concurrently running combination (flushed before use). The clients come
 * from the shared install of the catalog (`pg`, `ioredis`), so the generator needs no extra dependency.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const POSTGRES_URL = /^postgres(ql)?:\/\//;
const REDIS_URL = /^rediss?:\/\//;

/** The PostgreSQL server URL someone set (MATRIX_DATABASE_URL, else DATABASE_URL), if any. */
export const configuredDatabaseUrl = (): string | undefined =>
  [process.env.MATRIX_DATABASE_URL, process.env.DATABASE_URL].find((v) => v && POSTGRES_URL.test(v));

/** The Redis server URL someone set (MATRIX_REDIS_URL, else REDIS_URL), if any. */
export const configuredRedisUrl = (): string | undefined =>
  [process.env.MATRIX_REDIS_URL, process.env.REDIS_URL].find((v) => v && REDIS_URL.test(v));

export const adminDatabaseUrl = (): string =>
  configuredDatabaseUrl() ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

export const baseRedisUrl = (): string => configuredRedisUrl() ?? 'redis://127.0.0.1:6379';

/**
 * `MATRIX_FALLBACK`: what replaces a PostgreSQL / Redis server that does not answer.
 * - `auto` (default): the stand-ins (PGlite; a private redis-server, else no Redis) replace a server
 *   only when none is configured (no MATRIX_DATABASE_URL / DATABASE_URL, resp. MATRIX_REDIS_URL /
 *   REDIS_URL) and the default address does not answer; a configured server that does not answer is
 *   a failure (CI configures its servers, so CI never silently falls back);
 * - `1`: also when a configured server does not answer (simulates a bare machine:
 *   `MATRIX_FALLBACK=1 MATRIX_DATABASE_URL=postgres://127.0.0.1:1/x MATRIX_REDIS_URL=redis://127.0.0.1:1`);
 * - `0`: never; a server that does not answer is a failure.
 */
export type FallbackMode = 'auto' | 'always' | 'never';

export const fallbackMode = (value = process.env.MATRIX_FALLBACK): FallbackMode => {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (v === '1' || v === 'true' || v === 'yes') return 'always';
  if (v === '0' || v === 'false' || v === 'no') return 'never';
  throw new Error(`MATRIX_FALLBACK must be auto, 1 or 0 (got ${JSON.stringify(value)})`);
};

/** Whether a server that did not answer is replaced by its stand-in (else the combinations that need it fail). */
export const fallsBack = (mode: FallbackMode, configured: boolean): boolean =>
  mode === 'always' || (mode === 'auto' && !configured);

export const withDatabase = (url: string, db: string): string => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
interface RedisClient {
  on(event: 'error', listener: (err: Error) => void): unknown;
  flushdb(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

export class Services {
  private readonly require: NodeRequire;
  constructor(nodeModules: string) {
    this.require = createRequire(join(nodeModules, 'matrix-services.js'));
  }

  private async pg<T>(fn: (c: PgClient) => Promise<T>): Promise<T> {
    const { Client } = this.require('pg') as { Client: new (o: object) => PgClient };
    const client = new Client({ connectionString: adminDatabaseUrl(), connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** Checks the server answers; the message says how to point the matrix elsewhere. */
  async checkPostgres(): Promise<string | undefined> {
    try {
      await this.pg((c) => c.query('select 1'));
      return undefined;
    } catch (err) {
      return `PostgreSQL not reachable at ${redact(adminDatabaseUrl())} (${(err as Error).message}); start it or set MATRIX_DATABASE_URL`;
    }
  }

  async createDatabase(name: string): Promise<string> {
    await this.pg(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${name}"`);
    });
    return withDatabase(adminDatabaseUrl(), name);
  }

  async dropDatabase(name: string): Promise<void> {
    await this.pg((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }

  private redis(url: string): RedisClient {
    const Redis = this.require('ioredis') as new (url: string, o: object) => RedisClient;
    const client = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      retryStrategy: () => null,
    });
    // The failed command reports the error; without a listener ioredis also prints it as "unhandled".
    client.on('error', () => {});
    return client;
  }

  async checkRedis(base = baseRedisUrl()): Promise<string | undefined> {
    try {
      await this.flushRedis(withRedisDb(base, 15));
      return undefined;
    } catch (err) {
      return `Redis not reachable at ${redact(base)} (${(err as Error).message}); start redis-server or set MATRIX_REDIS_URL`;
    }
  }

  async flushRedis(url: string): Promise<void> {
    const r = this.redis(url);
    try {
      await r.flushdb();
      await r.quit();
    } finally {
      r.disconnect();
    }
  }
}

/** Redis database `n` (0-15 on a default server) of the base URL. */
export const withRedisDb = (url: string, n: number): string => {
  const u = new URL(url);
  u.pathname = `/${n}`;
  return u.toString();
};

export const redact = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
