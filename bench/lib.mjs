// What the server benchmarks share: a generated project built on the shared catalog install, a bare
// Hono baseline on the same adapter, and an alternating autocannon comparison that prints req/s and,
// on Linux, CPU time per request (the steadier number on a busy machine; its ratio is bare/generated,
// so both ratios read as "share of bare Hono's throughput").
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { nodeRuntime, PRIMARY_LINE } from '../dist/dev-tools.js';
import { freePort } from '../scripts/free-port.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `--duration 5 --rounds 3 --connections 50` */
export const benchOptions = () => {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
    },
  });
  return { duration: Number(values.duration), rounds: Number(values.rounds), connections: Number(values.connections) };
};

/** The newest complete shared catalog install (.cache/deps/<key>/) that has every package in `needs`. */
const sharedInstall = (needs) => {
  const cache = join(root, '.cache', 'deps');
  const found = (existsSync(cache) ? readdirSync(cache) : [])
    .map((key) => join(cache, key))
    .filter((dir) => existsSync(join(dir, '.complete')))
    .sort((a, b) => statSync(join(b, '.complete')).mtimeMs - statSync(join(a, '.complete')).mtimeMs)
    .map((dir) => join(dir, 'node_modules'))
    .find((dir) => needs.every((name) => existsSync(join(dir, name))));
  if (!found) {
    console.error(`no shared install with ${needs.join(', ')} under ${cache}: run npm run matrix -- --tier 1 first`);
    process.exit(1);
  }
  return found;
};

const run = (command, args, options) => {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status})`);
};

/**
 * Generates a project with `createArgs` in a temp folder (removed on exit, with every server started
 * from it), links the shared install, builds it, and writes `bare.mjs`: Hono with no middleware at
 * all, answering `GET path` with `body`.
 */
export const benchProject = async ({ createArgs, needs = [], bare: { path, body } }) => {
  // Both servers run on the Dockerfile's Node line (fetched from the npm registry when this machine's node is on another).
  const node = await nodeRuntime(PRIMARY_LINE, join(root, '.cache', 'node'), console.log);
  const nodeModules = sharedInstall(['typescript', 'hono', '@hono/node-server', ...needs]);
  const work = mkdtempSync(join(tmpdir(), 'omnistack-bench-'));
  const dir = join(work, 'api');
  const children = [];
  process.on('exit', () => {
    for (const child of children) child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });
  process.on('SIGINT', () => process.exit(130));

  run(process.execPath, [join(root, 'bin', 'create-omnistack.js'), 'api', ...createArgs, '--no-install', '--no-git'], {
    cwd: work,
  });
  symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
  run(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: dir,
  });
  writeFileSync(
    join(dir, 'bare.mjs'),
    `import { serve } from '@hono/node-server';
import { Hono } from 'hono';
const app = new Hono();
app.get('${path}', (c) => c.json(${JSON.stringify(body)}));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
`,
  );

  /** Starts `script` of the project, production-like: JSON logs to a file, not a terminal. */
  const start = async (name, script, env = {}) => {
    const port = await freePort();
    const log = join(work, `${name}.log`);
    const child = spawn(node.node, [script], {
      cwd: dir,
      stdio: ['ignore', openSync(log, 'w'), 'inherit'],
      env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env },
    });
    children.push(child);
    return { name, url: `http://127.0.0.1:${port}${path}`, log, child };
  };

  return { dir, work, nodeModules, node, start };
};

/** An HS256 token of one user, and the env that makes a `--auth jwt` project accept it. */
export const benchUser = async (project) => {
  const issuer = 'https://issuer.bench/';
  const audience = 'https://api.bench';
  const secret = 'bench-only-secret-bench-only-secret-0123';
  const { SignJWT } = await import(join(project.nodeModules, 'jose', 'dist', 'webapi', 'index.js'));
  const token = await new SignJWT({ email: 'bench@example.com' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-user')
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
  // Every AUTH_ setting is given: the project's own .env (example values) fills in any left unset.
  return {
    headers: { authorization: `Bearer ${token}` },
    env: { AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience, AUTH_JWT_SECRET: secret },
  };
};

/** A SQLite file with the project's migrations applied, the way a deploy would (production does not migrate on start). */
export const migratedSqlite = (project) => {
  const database = join(project.work, 'bench.db');
  run(project.node.node, [join(project.dir, 'node_modules', 'drizzle-kit', 'bin.cjs'), 'migrate'], {
    cwd: project.dir,
    env: { ...process.env, DATABASE_URL: database },
  });
  return database;
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

const waitUntilUp = async (server, headers) => {
  let last = 'no answer';
  for (let i = 0; i < 200; i++) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited: see ${server.log}`);
    try {
      const res = await fetch(server.url, { headers });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${server.name} did not answer ${server.url} with 2xx (last: ${last})`);
};

/**
 * Loads `generated` and `bare` alternately (`rounds` runs of `duration` seconds each, after a warm-up),
 * prints one row per round and the mean (columns named by `labels`), then the generated server's log
 * line count, and exits unless `exit` is false.
 */
export const compare = async ({
  title,
  generated,
  bare,
  headers = {},
  duration,
  rounds,
  connections,
  labels = ['generated', 'bare'],
  exit = true,
}) => {
  const load = async (server, seconds) => {
    const before = cpuMs(server.child);
    const result = await autocannon({ url: server.url, connections, duration: seconds, headers });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${server.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    }
    return { rps: result.requests.average, cpuUs: ((cpuMs(server.child) - before) * 1000) / result.requests.total };
  };

  await Promise.all([waitUntilUp(generated, headers), waitUntilUp(bare, headers)]);
  // Warm both up (JIT, connection pools) before measuring.
  await load(generated, 2);
  await load(bare, 2);

  const fmt = (n, width = 9) => Math.round(n).toLocaleString('en-US').padStart(width);
  console.log(`\n${title}, ${connections} connections, ${duration} s per run, alternating\n`);
  console.log(`(${labels[0]} against ${labels[1]})`);
  console.log('            req/s                        CPU µs per request');
  console.log(
    `round ${labels[0].slice(0, 11).padStart(11)} ${labels[1].slice(0, 10).padStart(10)}   ratio    ${labels[0].slice(0, 9).padStart(9)} ${labels[1].slice(0, 6).padStart(6)}   ratio`,
  );
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
  if (exit) process.exit(0);
};
