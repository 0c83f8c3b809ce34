// GET /health of a generated project (full middleware stack, NODE_ENV=production, logs to a file)
// against a bare Hono + @hono/node-server `/health` in the same run, loaded alternately with
// autocannon on loopback. Prints req/s of both and their ratio (DESIGN.md §6 aims for >= 0.8), and,
// on Linux, each server's CPU time per request: on a busy or small machine, where req/s swings with
// whatever else runs, CPU per request is the steadier comparison (its ratio is bare/generated, so
// both ratios read as "share of bare Hono's throughput").
//
//   npm run build && node bench/health.mjs [--duration 5] [--rounds 3] [--connections 50]
//
// Dependencies come from the shared catalog install (.cache/deps/node_modules), symlinked in.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '.cache', 'deps', 'node_modules');
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

if (!existsSync(shared)) {
  console.error(`missing ${shared}: install the version catalog there first`);
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

run(process.execPath, [join(root, 'bin', 'create-omnistack.js'), 'api', '--yes', '--no-install', '--no-git'], work);
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
app.get('/health', (c) => c.json({ status: 'ok' }));
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
      STORAGE_SIGNING_SECRET: 'bench-only-secret-bench-only-secret-0123',
    },
  });
  children.push(child);
  return { name, url: `http://127.0.0.1:${port}/health`, log, child };
};

const waitUntilUp = async (server) => {
  for (let i = 0; i < 200; i++) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited: see ${server.log}`);
    try {
      if ((await fetch(server.url)).ok) return;
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
  const result = await autocannon({ url: server.url, connections, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${server.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return { rps: result.requests.average, cpuUs: ((cpuMs(server.child) - before) * 1000) / result.requests.total };
};

const generated = start('generated', 'dist/index.js', 3400 + Math.floor(Math.random() * 500));
const bare = start('bare', 'bare.mjs', 3900 + Math.floor(Math.random() * 500));
await Promise.all([waitUntilUp(generated), waitUntilUp(bare)]);

// Warm both up (JIT, connection pools) before measuring.
await load(generated, 2);
await load(bare, 2);

const fmt = (n, width = 9) => Math.round(n).toLocaleString('en-US').padStart(width);
console.log(`\nGET /health, ${connections} connections, ${duration} s per run, alternating\n`);
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
