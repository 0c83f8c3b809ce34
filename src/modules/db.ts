import type { ModuleManifest } from './types.js';

const drizzleScripts = {
  'db:generate': 'drizzle-kit generate',
  // Ours, not drizzle-kit's: it says why in one line when it cannot (drizzle-kit exits 1 in silence).
  'db:migrate': 'tsx src/db/migrate.ts',
  // The same from the build, for a release step in the production image (which has no tsx).
  'db:migrate:deploy': 'node dist/db/migrate.js',
  'db:studio': 'drizzle-kit studio',
};

/** Both variants write src/db/client.ts with the same exports, so their deps entry is the same. */
const dbDep = {
  name: 'db',
  imports: ["import { closeDb, createDb, type Db, pingDb } from './db/client.js';"],
  type: 'Db',
  create: 'await createDb(env.DATABASE_URL, { logger, migrate: env.MIGRATE_ON_START })',
  close: 'closeDb(deps.db)',
  ready: 'pingDb(deps.db)',
};

/**
 * Requests that find the database unavailable answer 503 with Retry-After (src/lib/errors.ts); this notices
 * each outage once and logs it, and its end. Both variants write src/db/outage.ts with the same exports.
 */
const dbOutagesDep = {
  name: 'dbOutages',
  imports: [
    "import { isDbUnavailable, probeDb } from './db/outage.js';",
    "import { type OutageWatch, watchOutages } from './lib/outage.js';",
  ],
  type: 'OutageWatch',
  create: "watchOutages('database', { logger, isOutage: isDbUnavailable, probe: () => probeDb(db) })",
  close: 'deps.dbOutages.stop()',
};

/**
 * A deployed image has no drizzle-kit (a dev dependency), so the app applies the committed
 * migrations itself on start unless told not to.
 */
const migrateOnStart = {
  name: 'MIGRATE_ON_START',
  example: 'true',
  description:
    'Apply pending migrations at boot; set false where a release step runs `npm run db:migrate:deploy` instead',
  schema: 'z.stringbool().default(true)',
};

export const dbSqlite: ModuleManifest = {
  id: 'db-sqlite',
  description: 'SQLite through drizzle-orm and better-sqlite3 (WAL mode)',
  when: (a) => a.db === 'sqlite',
  dependencies: ['drizzle-orm', 'better-sqlite3'],
  devDependencies: ['drizzle-kit', '@types/better-sqlite3'],
  scripts: drizzleScripts,
  env: [
    {
      name: 'DATABASE_URL',
      example: './data/app.db',
      description: 'SQLite database file path',
      schema: "z.string().min(1).default('./data/app.db')",
    },
    migrateOnStart,
  ],
  slots: {
    deps: [dbDep, dbOutagesDep],
    dataDir: [{ what: 'SQLite database' }],
  },
};

export const dbPostgres: ModuleManifest = {
  id: 'db-postgres',
  description: 'PostgreSQL through drizzle-orm and a pg pool',
  when: (a) => a.db === 'postgres',
  dependencies: ['drizzle-orm', 'pg'],
  devDependencies: ['drizzle-kit', '@types/pg', '@electric-sql/pglite', '@electric-sql/pglite-socket'],
  scripts: {
    ...drizzleScripts,
    'db:local': 'pglite-server --db=./data/pglite --port=5432 --max-connections=10',
  },
  env: [
    {
      name: 'DATABASE_URL',
      example: 'postgres://postgres:postgres@localhost:5432/app',
      description: 'PostgreSQL connection URL',
      schema: 'z.url()',
      secret: true,
    },
    migrateOnStart,
  ],
  slots: {
    deps: [dbDep, dbOutagesDep],
    services: [
      {
        name: 'postgres',
        env: 'DATABASE_URL',
        image: 'postgres:18-alpine',
        port: 5432,
        environment: [
          { name: 'POSTGRES_USER', value: 'postgres' },
          { name: 'POSTGRES_PASSWORD', value: 'postgres' },
          { name: 'POSTGRES_DB', value: 'app' },
        ],
        healthcheck: 'pg_isready -U postgres -d app',
        composeUrl: 'postgres://postgres:postgres@postgres:5432/app',
        localUrl: 'postgres://postgres:postgres@localhost:5432/app',
        // Since PostgreSQL 18 the image keeps its data under a per-version folder of this path.
        dataPath: '/var/lib/postgresql',
        render: 'database',
      },
    ],
    readme: [
      {
        title: 'PostgreSQL',
        body: [
          'The app needs a server at `DATABASE_URL`. None at hand? `npm run db:local` serves an embedded',
          'PostgreSQL (PGlite, kept in `./data/pglite`) on port 5432, which the example URL in `.env.example`',
          'reaches as it is. It is for development only: one process, no replication.',
          '',
          'Tests create a database of their own on the server at `DATABASE_URL` and drop it afterwards; without',
          '`DATABASE_URL` they run on an in-memory PGlite.',
        ].join('\n'),
      },
    ],
  },
};
