// `npm run demo`: what a user gets from `npx create-omnistack my-api --yes`, shown working.
// Generates the default project (SQLite, memory cache, local storage, console email) into
// demo/my-api, installs it, runs its own checks and tests, starts it and probes its routes, all on
// the Node line the project's .nvmrc names: this machine's node when it is on that line, otherwise
// the official build from the npm registry (the matrix's fetcher; cached in .cache/node).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { nodeRuntime, PRIMARY_LINE, packSelf } from '../dist/dev-tools.js';
import { freePort } from './free-port.mjs';

const root = new URL('..', import.meta.url).pathname;
const demoDir = join(root, 'demo');
const project = join(demoDir, 'my-api');

const node = await nodeRuntime(PRIMARY_LINE, join(root, '.cache', 'node'), console.log);
// The project depends on create-omnistack (its `npx omnistack`); until this version is published, on this checkout, packed.
const cli = await packSelf(root, join(root, '.cache', 'pack'));
const nodeEnv = { ...process.env, ...node.env, CREATE_OMNISTACK_SPEC: `file:${cli}` };
console.log(
  `Node.js ${node.version} runs the project${node.prefix ? ` (this machine's node is ${process.version})` : ''}`,
);

const run = (cmd, args, cwd) => {
  console.log(`\n$ ${[cmd, ...args].join(' ')}   (in ${cwd})`);
  const r = spawnSync(cmd, args, { cwd, env: nodeEnv, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: "${cmd} ${args.join(' ')}" failed with exit ${r.status}`);
    process.exit(1);
  }
};

if (existsSync(project)) rmSync(project, { recursive: true, force: true });
mkdirSync(demoDir, { recursive: true });
run(node.node, [join(root, 'bin/create-omnistack.js'), 'my-api', '--yes', '--no-git', '--pm', 'npm'], demoDir);
for (const script of ['typecheck', 'lint', 'test', 'build']) run('npm', ['run', script], project);
// The project's own omnistack command, from a subfolder: never a registry lookup.
run('npx', ['--offline', 'omnistack', 'list'], join(project, 'src'));

const port = await freePort();
// Production refuses to start without its secrets; the .env create wrote holds fresh ones, so it starts as is.
const env = { ...nodeEnv, PORT: String(port), HOST: '127.0.0.1' };
console.log(`\n$ npm start   (PORT=${port}; secrets from the project's .env)`);
const server = spawn('npm', ['start'], {
  cwd: project,
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
const stop = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {}
};

const get = async (path) => {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: await res.text() };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer on ${path}`);
};

let failed = false;
try {
  for (const path of ['/health', '/health/ready', '/openapi.json', '/api/v1/nothing-here']) {
    const { status, body } = await get(path);
    console.log(`GET ${path} -> ${status} ${body.length > 160 ? `${body.slice(0, 160)}...` : body}`);
    if (path.startsWith('/health') && status !== 200) failed = true;
  }
} finally {
  stop();
}
console.log(failed ? '\ndemo: a health probe failed' : `\ndemo: ok, the project is in ${project}`);
process.exit(failed ? 1 : 0);
