// GET /api/v1/me of a generated `--auth jwt` project (HS256 verification + the user's row from SQLite,
// behind the full middleware stack, NODE_ENV=production) against a bare Hono + @hono/node-server route
// in the same run, loaded alternately with autocannon on loopback. Prints req/s of both, their ratio
// (issue 3 aims for >= 0.5), and, on Linux, CPU time per request (see bench/lib.mjs).
//
//   npm run build && node bench/auth.mjs [--duration 5] [--rounds 3] [--connections 50]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchOptions, benchProject, compare } from './lib.mjs';

const project = await benchProject({
  createArgs: ['--yes', '--auth', 'jwt', '--email', 'none', '--storage', 'none'],
  needs: ['jose', 'better-sqlite3', 'drizzle-kit'],
  bare: { path: '/api/v1/me', body: { id: 'bare', email: null, name: null } },
});

// One signed-in user: the first request creates the row, every later one verifies (cached) and reads it.
const ISSUER = 'https://issuer.bench/';
const SECRET = 'bench-only-secret-bench-only-secret-0123';
const { SignJWT } = await import(join(project.nodeModules, 'jose', 'dist', 'webapi', 'index.js'));
const token = await new SignJWT({ email: 'bench@example.com' })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject('bench-user')
  .setIssuer(ISSUER)
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(new TextEncoder().encode(SECRET));

// Production does not migrate on start: apply the initial migration the way a deploy would.
const database = join(project.work, 'bench.db');
const migrated = spawnSync(
  project.node.node,
  [join(project.dir, 'node_modules', 'drizzle-kit', 'bin.cjs'), 'migrate'],
  {
    cwd: project.dir,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: database },
  },
);
if (migrated.status !== 0) throw new Error('drizzle-kit migrate failed');

await compare({
  title: 'GET /api/v1/me (HS256 + user row on SQLite)',
  generated: await project.start('generated', 'dist/index.js', {
    AUTH_ISSUER: ISSUER,
    AUTH_JWT_SECRET: SECRET,
    DATABASE_URL: database,
    RATE_LIMIT_MAX: '100000000',
  }),
  bare: await project.start('bare', 'bare.mjs'),
  headers: { authorization: `Bearer ${token}` },
  ...benchOptions(),
});
