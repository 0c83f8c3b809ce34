// GET /api/v1/me of a generated `--auth jwt` project (HS256 verification + the user's row from SQLite,
// behind the full middleware stack, NODE_ENV=production) against a bare Hono + @hono/node-server route
// in the same run, loaded alternately with autocannon on loopback. Prints req/s of both, their ratio
// (issue 3 aims for >= 0.5), and, on Linux, CPU time per request (see bench/lib.mjs).
//
//   npm run build && node bench/auth.mjs [--duration 5] [--rounds 3] [--connections 50]
import { benchOptions, benchProject, benchUser, compare, migratedSqlite } from './lib.mjs';

const project = await benchProject({
  createArgs: ['--yes', '--auth', 'jwt', '--email', 'none', '--storage', 'none'],
  needs: ['jose', 'better-sqlite3', 'drizzle-kit'],
  bare: { path: '/api/v1/me', body: { id: 'bare', email: null, name: null } },
});
// One signed-in user: the first request creates the row, every later one verifies (cached) and reads it.
const user = await benchUser(project);

await compare({
  title: 'GET /api/v1/me (HS256 + user row on SQLite)',
  generated: await project.start('generated', 'dist/index.js', {
    ...user.env,
    DATABASE_URL: migratedSqlite(project),
    RATE_LIMIT_MAX: '100000000',
  }),
  bare: await project.start('bare', 'bare.mjs'),
  headers: user.headers,
  ...benchOptions(),
});
