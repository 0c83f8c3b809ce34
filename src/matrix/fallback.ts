/**
 * Stand-ins for tiers 1 and 2 when no PostgreSQL / Redis server answers (a plain Node machine):
 *
 * - PostgreSQL: PGlite served over the Postgres wire protocol by `pglite-server` (from
 *   `@electric-sql/pglite-socket` in the shared install, the same CLI as a generated project's
 *   `npm run db:local`), one server per booted combination, on a port the OS picks, started from a
 *   copy of an initialised data directory (a fresh `initdb` costs 10-20 s of CPU, a copy ~2 s). The
 *   server multiplexes up to `--max-connections` clients over PGlite's one session, which covers the
 *   app's pg pool (at most 10).
 * - Redis: a private `redis-server` on a free port (no persistence), when the binary exists.
 */
import { accessSync, constants, cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Started, start, tail } from './exec.js';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

export interface Running {
  url: string;
  /** The command that starts the same thing by hand (for reproduce lines). */
  command: string;
  stop: () => Promise<void>;
}

const LISTENING = /PGLiteSocketServer listening on (\{.*\})/;
/** One PGlite session is multiplexed over this many socket clients; the app's pg pool opens at most 10. */
export const PGLITE_MAX_CONNECTIONS = 10;

/** Stops a process group: SIGTERM, then SIGKILL after `graceMs`. */
const stopProcess = async (p: Started, graceMs: number): Promise<void> => {
  p.kill('SIGTERM');
  const done = await Promise.race([p.exited, sleep(graceMs).then(() => undefined)]);
  if (!done) p.kill('SIGKILL');
  await p.exited;
};

/** `pglite-server` on `dataDir` (a path, or `memory://`), resolved once it listens. */
const servePglite = async (nodeModules: string, dataDir: string, timeoutMs: number): Promise<Running> => {
  const bin = join(nodeModules, '.bin', 'pglite-server');
  const args = [`--db=${dataDir}`, '--host=127.0.0.1', '--port=0', `--max-connections=${PGLITE_MAX_CONNECTIONS}`];
  const p = start(bin, args, { cwd: nodeModules, env: { ...process.env, NO_COLOR: '1' } });
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  void p.exited.then(() => {
    exited = true;
  });
  for (;;) {
    const m = LISTENING.exec(p.output());
    if (m) {
      const { port, host } = JSON.parse(m[1] as string) as { port: number; host: string };
      return {
        url: `postgres://postgres@${host}:${port}/postgres`,
        command: `node_modules/.bin/pglite-server ${args.join(' ').replace('--port=0', `--port=${port}`)}`,
        stop: () => stopProcess(p, 5_000),
      };
    }
    if (exited || performance.now() > deadline) {
      await stopProcess(p, 1_000);
      throw new Error(
        `pglite-server ${exited ? 'exited' : `did not listen within ${timeoutMs / 1000}s`}: ${tail(p.output(), 15)}`,
      );
    }
    await sleep(50);
  }
};

/**
 * An initialised PGlite data directory, made once per shared install (`<cacheDir>/datadir`) and
 * copied for each server. Made in a temp folder and renamed into place, so a concurrent run either
 * sees none or a complete one.
 */
export const pgliteTemplate = async (nodeModules: string, cacheDir: string): Promise<string> => {
  const dir = join(cacheDir, 'datadir');
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  // A clean SIGTERM makes pglite-server close the database, which leaves the directory consistent.
  const server = await servePglite(nodeModules, tmp, 180_000);
  await server.stop();
  if (!existsSync(join(tmp, 'PG_VERSION'))) throw new Error(`pglite-server left no data directory in ${tmp}`);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'PG_VERSION'))) throw err;
  }
  return dir;
};

/** A PGlite server of its own, on a copy of the template; `stop` also removes the copy. */
export const startPglite = async (nodeModules: string, template: string, workDir: string): Promise<Running> => {
  rmSync(workDir, { recursive: true, force: true });
  cpSync(template, workDir, { recursive: true });
  try {
    const server = await servePglite(nodeModules, workDir, 60_000);
    return {
      ...server,
      command: server.command.replace(`--db=${workDir}`, '--db=memory://'),
      stop: async () => {
        await server.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
};

/** `MATRIX_REDIS_SERVER` (a path or a name on PATH; `none`: never start one), else `redis-server` on PATH. */
export const redisServerBinary = (value = process.env.MATRIX_REDIS_SERVER): string | undefined => {
  const name = value?.trim() || 'redis-server';
  if (name === 'none') return undefined;
  const executable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (name.includes('/')) return executable(name) ? name : undefined;
  for (const d of (process.env.PATH ?? '').split(delimiter))
    if (d && isAbsolute(d) && executable(join(d, name))) return join(d, name);
  return undefined;
};

/** A private redis-server on a free loopback port, no persistence; `ping` says when it answers. */
export const startRedisServer = async (
  bin: string,
  workDir: string,
  ping: (url: string) => Promise<string | undefined>,
): Promise<Running> => {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir];
  const p = start(bin, args, { cwd: workDir, env: process.env });
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(p, 5_000);
    rmSync(workDir, { recursive: true, force: true });
  };
  let exited = false;
  void p.exited.then(() => {
    exited = true;
  });
  const deadline = performance.now() + 15_000;
  let problem = await ping(url);
  while (problem && !exited && performance.now() < deadline) {
    await sleep(100);
    problem = await ping(url);
  }
  if (problem) {
    await stop();
    throw new Error(`${bin} did not answer on ${url} (${problem}): ${tail(p.output(), 15)}`);
  }
  return { url, command: `${bin} ${args.map((a) => (a === '' ? "''" : a)).join(' ')}`, stop };
};

/** Run with tsx in a project: serves its test/storage.ts until SIGTERM and prints that storage's env. */
const SERVE_TEST_STORAGE = `import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { createTestStorage } = await import(pathToFileURL(join(process.cwd(), 'test', 'storage.ts')).href);
const storage = await createTestStorage();
process.stdout.write(\`TEST_STORAGE_ENV \${JSON.stringify(storage.env)}\\n\`);
const stop = async () => {
  await storage.drop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
`;
const TEST_STORAGE_ENV = /^TEST_STORAGE_ENV (\{.*\})$/m;

/**
 * The project's own test storage (`test/storage.ts`: s3rver for S3 and R2, a fake API for Cloudinary,
 * a temporary folder for local disk), served through the project's tsx for the boot step, because a
 * storage readiness check needs a server that answers. `env` points the app at it.
 */
export const startTestStorage = async (
  projectDir: string,
  workDir: string,
  /** The combination's Node runtime (PATH first). */
  runtimeEnv: Record<string, string>,
  prefix: string,
): Promise<Omit<Running, 'url'> & { env: Record<string, string> }> => {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const script = join(workDir, 'serve-test-storage.mts');
  writeFileSync(script, SERVE_TEST_STORAGE);
  const bin = join(projectDir, 'node_modules', '.bin', 'tsx');
  const p = start(bin, [script], { cwd: projectDir, env: { ...process.env, ...runtimeEnv } });
  // The script stays in workDir for the reproduce line.
  const stop = () => stopProcess(p, 5_000);
  let exited = false;
  void p.exited.then(() => {
    exited = true;
  });
  const deadline = performance.now() + 30_000;
  for (;;) {
    const m = TEST_STORAGE_ENV.exec(p.output());
    if (m) {
      return { command: `${prefix}${bin} ${script}`, stop, env: JSON.parse(m[1] as string) as Record<string, string> };
    }
    if (exited || performance.now() > deadline) {
      await stop();
      throw new Error(`test/storage.ts did not start: ${tail(p.output(), 15)}`);
    }
    await sleep(100);
  }
};
