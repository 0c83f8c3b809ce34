/**
 * Real PostgreSQL and Redis for tiers 1 and 2: a fresh database per combination, and a Redis
 * database index per concurrently running combination (flushed before use). The clients come
 * from the shared install of the catalog (`pg`, `ioredis`), so the generator needs no extra dependency.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const adminDatabaseUrl = (): string => {
  for (const v of [process.env.MATRIX_DATABASE_URL, process.env.DATABASE_URL])
    if (v && /^postgres(ql)?:\/\//.test(v)) return v;
  return 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
};

export const baseRedisUrl = (): string => {
  for (const v of [process.env.MATRIX_REDIS_URL, process.env.REDIS_URL]) if (v && /^rediss?:\/\//.test(v)) return v;
  return 'redis://127.0.0.1:6379';
};

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
    return new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      retryStrategy: () => null,
    });
  }

  async checkRedis(): Promise<string | undefined> {
    try {
      await this.flushRedis(withRedisDb(baseRedisUrl(), 15));
      return undefined;
    } catch (err) {
      return `Redis not reachable at ${redact(baseRedisUrl())} (${(err as Error).message}); start redis-server or set MATRIX_REDIS_URL`;
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
