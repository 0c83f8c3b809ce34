// GET /health of a generated project (full middleware stack, NODE_ENV=production, logs to a file)
// against a bare Hono + @hono/node-server `/health` in the same run, loaded alternately with
// autocannon on loopback. Prints req/s of both and their ratio (DESIGN.md §6 aims for >= 0.8), and,
// on Linux, each server's CPU time per request (see bench/lib.mjs).
//
//   npm run build && node bench/health.mjs [--duration 5] [--rounds 3] [--connections 50]
import { benchOptions, benchProject, compare } from './lib.mjs';

const project = await benchProject({ createArgs: ['--yes'], bare: { path: '/health', body: { status: 'ok' } } });
await compare({
  title: 'GET /health',
  generated: await project.start('generated', 'dist/index.js', {
    STORAGE_SIGNING_SECRET: 'bench-only-secret-bench-only-secret-0123',
  }),
  bare: await project.start('bare', 'bare.mjs'),
  ...benchOptions(),
});
