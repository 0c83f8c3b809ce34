// The cost of `--extras metrics`: GET /health and GET /api/v1/me (HS256 + the user's row on SQLite) of
// two generated `--auth jwt` projects, one with metrics and one without, loaded alternately with
// autocannon on loopback in the same run (NODE_ENV=production). Prints req/s of both, their ratio
// (issue 15 allows metrics and tracing together at most 15% of throughput) and, on Linux, CPU time per
// request (see bench/lib.mjs).
//
//   npm run build && node bench/metrics.mjs [--duration 5] [--rounds 3] [--connections 50]
import { benchOptions, benchProject, benchUser, compare, migratedSqlite } from './lib.mjs';

const createArgs = ['--yes', '--auth', 'jwt', '--email', 'none', '--storage', 'none'];
const needs = ['jose', 'better-sqlite3', 'drizzle-kit', 'prom-client'];
const bare = { path: '/api/v1/me', body: {} };
const on = await benchProject({ createArgs: [...createArgs, '--extras', 'metrics'], needs, bare });
const off = await benchProject({ createArgs, needs, bare });
const user = await benchUser(on);

const serve = (project, name) =>
  project.start(name, 'dist/index.js', {
    ...user.env,
    DATABASE_URL: migratedSqlite(project),
    RATE_LIMIT_MAX: '100000000',
  });
// `compare` tells the two apart by these names: `generated` is the one with metrics.
const withMetrics = await serve(on, 'generated');
const without = await serve(off, 'bare');
const at = (server, path) => ({ ...server, url: server.url.replace(bare.path, path) });

const options = { ...benchOptions(), labels: ['metrics on', 'metrics off'] };
await compare({
  title: 'GET /health',
  generated: at(withMetrics, '/health'),
  bare: at(without, '/health'),
  exit: false,
  ...options,
});
await compare({
  title: 'GET /api/v1/me (HS256 + user row on SQLite)',
  generated: withMetrics,
  bare: without,
  headers: user.headers,
  ...options,
});
