// GET /api/v1/me of a generated `--auth jwt` project (HS256 verification + the user's row from SQLite,
// behind the full middleware stack, NODE_ENV=production) against a bare Hono + @hono/node-server route
// in the same run, loaded alternately with autocannon on loopback. Prints req/s of both, their ratio
// (issue 3 aims for >= 0.5), and, on Linux, CPU time per request (the steadier number on a busy machine).
//
//   npm run build && node bench/auth.mjs [--duration 5] [--rounds 3] [--connections 50]
//
// Dependencies come from the shared catalog install (.cache/deps/<key>/node_modules with jose), symlinked in.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache', 'deps');
const shared = (existsSync(cache) ? readdirSync(cache) : [])
  .map((key) => join(cache, key, 'node_modules'))
  .find((dir) => existsSync(join(dir, 'jose')) && existsSync(join(dir, 'better-sqlite3')));
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
  },
});
const duration = Number(values.duration);
const rounds = Number(values.rounds);
const connections = Number(values.connections);

if (!shared) {
  console.error(`no shared install with jose under ${cache}: run npm run matrix -- --tier 1 first`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'omnistack-bench-'));
const project = join(work, 'api');
const children = [];
const cleanup = () => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status})`);
};

run(
  process.execPath,
  [
    join(root, 'bin', 'create-omnistack.js'),
    'api',
    '--yes',
    '--auth',
    'jwt',
    '--email',
    'none',
    '--storage',
    'none',
    '--no-install',
    '--no-git',
  ],
  work,
);
symlinkSync(shared, join(project, 'node_modules'), 'dir');
run(
  process.execPath,
  [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  project,
);

// The baseline: Hono with no middleware at all, on the same adapter.
writeFileSync(
  join(project, 'bare.mjs'),
  `import { serve } from '@hono/node-server';
import { Hono } from 'hono';
const app = new Hono();
app.get('/api/v1/me', (c) => c.json({ id: 'bare', email: null, name: null }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
`,
);

const start = (name, script, port) => {
  const log = join(work, `${name}.log`);
  const child = spawn(process.execPath, [script], {
    cwd: project,
    // Production-like: JSON logs to a redirected stdout, not a terminal.
    stdio: ['ignore', openSync(log, 'w'), 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      AUTH_ISSUER: ISSUER,
      AUTH_JWT_SECRET: SECRET,
      DATABASE_URL: database,
      RATE_LIMIT_MAX: '100000000',
    },
  });
  children.push(child);
  return { name, url: `http://127.0.0.1:${port}/api/v1/me`, log, child };
};

const waitUntilUp = async (server) => {
  for (let i = 0; i < 200; i++) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited: see ${server.log}`);
    try {
      if ((await fetch(server.url, { headers })).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${server.name} did not answer ${server.url}`);
};

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** User + system CPU milliseconds the process has used so far, or NaN where /proc is missing. */
const cpuMs = (child) => {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
};

const load = async (server, seconds) => {
  const before = cpuMs(server.child);
  const result = await autocannon({ url: server.url, connections, duration: seconds, headers });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${server.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return { rps: result.requests.average, cpuUs: ((cpuMs(server.child) - before) * 1000) / result.requests.total };
};

// One signed-in user: the first request creates the row, every later one verifies (cached) and reads it.
const ISSUER = 'https://issuer.bench/';
const SECRET = 'bench-only-secret-bench-only-secret-0123';
const { SignJWT } = await import(join(shared, 'jose', 'dist', 'webapi', 'index.js'));
const token = await new SignJWT({ email: 'bench@example.com' })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject('bench-user')
  .setIssuer(ISSUER)
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(new TextEncoder().encode(SECRET));
const headers = { authorization: `Bearer ${token}` };

// Production does not migrate on start: apply the initial migration the way a deploy would.
const database = join(work, 'bench.db');
const migrated = spawnSync(process.execPath, [join(project, 'node_modules', 'drizzle-kit', 'bin.cjs'), 'migrate'], {
  cwd: project,
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: database },
});
if (migrated.status !== 0) throw new Error('drizzle-kit migrate failed');

const generated = start('generated', 'dist/index.js', 3400 + Math.floor(Math.random() * 500));
const bare = start('bare', 'bare.mjs', 3900 + Math.floor(Math.random() * 500));
await Promise.all([waitUntilUp(generated), waitUntilUp(bare)]);

// Warm both up (JIT, connection pools) before measuring.
await load(generated, 2);
await load(bare, 2);

const fmt = (n, width = 9) => Math.round(n).toLocaleString('en-US').padStart(width);
console.log(
  `\nGET /api/v1/me (HS256 + user row on SQLite), ${connections} connections, ${duration} s per run, alternating\n`,
);
console.log('            req/s                        CPU µs per request');
console.log('round   generated       bare   ratio    generated   bare   ratio');
const totals = { generated: { rps: 0, cpuUs: 0 }, bare: { rps: 0, cpuUs: 0 } };
const row = (label, g, b) =>
  console.log(
    `${label.padStart(5)} ${fmt(g.rps)} ${fmt(b.rps)}   ${(g.rps / b.rps).toFixed(2)}` +
      `   ${fmt(g.cpuUs, 10)} ${fmt(b.cpuUs, 6)}   ${(b.cpuUs / g.cpuUs).toFixed(2)}`,
  );
for (let round = 1; round <= rounds; round++) {
  // Alternate which one goes first, so drift in the machine's load hits both alike.
  const order = round % 2 ? [generated, bare] : [bare, generated];
  const measured = {};
  for (const server of order) measured[server.name] = await load(server, duration);
  for (const name of ['generated', 'bare']) {
    totals[name].rps += measured[name].rps / rounds;
    totals[name].cpuUs += measured[name].cpuUs / rounds;
  }
  row(String(round), measured.generated, measured.bare);
}
row('mean', totals.generated, totals.bare);
const logged = readFileSync(generated.log, 'utf8').split('\n').filter(Boolean).length;
console.log(`\n(the generated server wrote ${logged.toLocaleString('en-US')} log lines)`);
// The two servers keep the event loop alive: exit, and the exit handler stops them.
process.exit(0);
