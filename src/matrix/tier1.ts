/**
 * Tiers 1 and 2: combinations generated on disk through the real CLI, linked to the shared
 * install, then type-checked, linted, tested against real PostgreSQL and Redis, built, booted
 * and probed on /health and /health/ready. Where no server answers, the stand-ins of fallback.ts
 * take over (see resolveServices) and the report says so.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NODE, type NodeLine } from '../catalog.js';
import type { Answers } from '../choices.js';
import { CLI_SPEC_ENV } from '../engine/compose.js';
import { MODULES } from '../modules/index.js';
import { pairCoverage } from './cover.js';
import { sharedDeps } from './deps.js';
import { exec, start, tail } from './exec.js';
import {
  freePort,
  pgliteTemplate,
  type Running,
  redisServerBinary,
  startPglite,
  startRedisServer,
  startTestStorage,
} from './fallback.js';
import { type NodeRuntime, nodeRuntime } from './node-runtime.js';
import { observableSpace } from './plan.js';
import { type Failure, median, type Skip, sh, stepStats, type TierReport } from './report.js';
import { packSelf } from './self-pack.js';
import {
  adminDatabaseUrl,
  baseRedisUrl,
  configuredDatabaseUrl,
  configuredRedisUrl,
  fallbackMode,
  fallsBack,
  redact,
  Services,
  withRedisDb,
} from './services.js';
import { describe as describeCombo, flagsFor, REAL_SPACE } from './space.js';

export interface Combo {
  id: string;
  answers: Answers;
  /** `fresh`: `npm install` from the project's own package.json instead of the shared link. */
  install: 'shared' | 'fresh';
  /** The Node line every step after generation runs on (generation runs on the CLI's own Node). */
  node: NodeLine;
  notes?: string[];
  /** Made as `before`, then brought to `answers` by `omnistack add <add>` through the project's CLI. */
  via?: { before: Answers; add: string[] };
}

export interface StepRun {
  step: string;
  ok: boolean;
  ms: number;
  skipped?: boolean;
}

export interface ComboResult {
  id: string;
  combination: string;
  install: 'shared' | 'fresh';
  /** The exact Node version the checks ran on. */
  node: string;
  ok: boolean;
  ms: number;
  steps: StepRun[];
  dir: string;
  notes: string[];
}

export interface RunOptions {
  tier: 1 | 2;
  combos: Combo[];
  repoRoot: string;
  /** This run's output folder (cleaned first). */
  outDir: string;
  concurrency?: number;
  keep?: boolean;
  log?: (line: string) => void;
  /** Extra notes for the report (preset fallbacks, shard). */
  notes?: string[];
  /** Tier 1: pairs the rules exclude (reported next to the coverage). */
  excludedPairs?: number;
}

/** Checks a generated project runs; `tool` commands run the project's own node_modules/.bin binary (what npx would run). */
interface StepDef {
  name: string;
  tool?: string;
  cmd: string[];
  timeoutMs: number;
  services?: boolean;
  /** Passing also needs the output to say this. */
  expect?: { output: RegExp; otherwise: string };
}

const STEPS: StepDef[] = [
  // One checker: TypeScript 7 runs four by default, each re-deriving the same types (AppType above
  // all), which costs 2-2.5x the CPU of one; the matrix already runs one project per core.
  { name: 'typecheck', tool: 'tsc', cmd: ['npx', 'tsc', '--noEmit', '--checkers', '1'], timeoutMs: 300_000 },
  // The committed migrations already describe the schema: create's 0000_initial, or the history `omnistack add` grew.
  {
    name: 'migrations',
    tool: 'drizzle-kit',
    cmd: ['npx', 'drizzle-kit', 'generate'],
    timeoutMs: 120_000,
    expect: {
      output: /No schema changes, nothing to migrate/,
      otherwise: 'drizzle-kit generate found schema changes the migrations lack',
    },
  },
  { name: 'lint', tool: 'biome', cmd: ['npx', 'biome', 'check', '.'], timeoutMs: 120_000 },
  { name: 'test', tool: 'vitest', cmd: ['npx', 'vitest', 'run'], timeoutMs: 600_000, services: true },
  // Not --noCheck, although typecheck has just checked these files: it also hides errors that are
  // not type errors (src importing a file outside rootDir builds without a word).
  { name: 'build', cmd: ['npm', 'run', 'build', '--', '--checkers', '1'], timeoutMs: 300_000 },
];

const BOOT_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** Every env var a module declares is the project's business: none leaks in from the caller. */
const MODULE_ENV = new Set(MODULES.flatMap((m) => (m.env ?? []).map((v) => v.name)));

const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (MODULE_ENV.has(k) || k.startsWith('VITEST') || k.startsWith('npm_package_') || k.startsWith('npm_lifecycle_'))
      continue;
    env[k] = v;
  }
  env.CI = 'true';
  env.NO_COLOR = '1';
  env.FORCE_COLOR = '0';
  return env;
};

const parseEnvFile = (text: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1] as string] = (m[2] as string).replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
};

const envLine = (env: Record<string, string>): string =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${sh(v)}`)
    .join(' ');

/** The servers the matrix can provide (a real one, or its stand-in); a module's `services` slot names them. */
const PROVIDED = ['postgres', 'redis'];

/** What a combination needs from outside: its modules' `services`. */
const needs = (answers: Answers) => {
  const names = MODULES.filter((m) => m.when(answers)).flatMap((m) => (m.slots?.services ?? []).map((s) => s.name));
  return {
    postgres: names.includes('postgres'),
    redis: names.includes('redis'),
    unknown: names.filter((n) => !PROVIDED.includes(n)),
  };
};

/** Where PostgreSQL comes from for this run: a real server, PGlite (tests: the project's own; boot: pglite-server), or nowhere (a failure). */
type PostgresPlan =
  | { kind: 'server' }
  | { kind: 'pglite'; template: Promise<string> }
  | { kind: 'missing'; problem: string };
/** Where Redis comes from: a real server, a private redis-server, none (Redis tests skip, boot is skipped), or nowhere (a failure). */
type RedisPlan =
  | { kind: 'server' | 'private'; base: string }
  | { kind: 'none'; reason: string }
  | { kind: 'missing'; problem: string };

/** The shared install and the service clients that come from it; combinations with a fresh install start before it is ready. */
interface Ready {
  nodeModules: string;
  services: Services;
  postgres?: PostgresPlan;
  redis?: RedisPlan;
}

interface Ctx {
  o: RunOptions;
  bin: string;
  /** One fetch per Node line, shared by the combinations on it. */
  runtime: (line: NodeLine) => Promise<NodeRuntime>;
  /** This checkout packed once per run, for fresh installs. */
  selfPack: () => Promise<string>;
  ready: Promise<Ready>;
  runId: string;
  failures: Failure[];
  skips: Skip[];
}

/**
 * Decides, once per run, where each needed service comes from. A server that answers is always
 * used. One that does not is replaced by its stand-in when `MATRIX_FALLBACK` allows it (by default:
 * only when no URL was configured, so CI, which configures its servers, never falls back).
 */
const resolveServices = async (
  o: {
    services: Services;
    nodeModules: string;
    postgres: boolean;
    redis: boolean;
    pgliteCache: string;
    workDir: string;
  },
  started: Running[],
  summary: NonNullable<TierReport['services']>,
): Promise<Pick<Ready, 'postgres' | 'redis'>> => {
  const mode = fallbackMode();
  const out: Pick<Ready, 'postgres' | 'redis'> = {};
  if (o.postgres) {
    const problem = await o.services.checkPostgres();
    if (!problem) {
      out.postgres = { kind: 'server' };
      summary.postgres = `real server at ${redact(adminDatabaseUrl())}`;
    } else if (!fallsBack(mode, configuredDatabaseUrl() !== undefined)) {
      out.postgres = { kind: 'missing', problem };
      summary.postgres = `MISSING: ${problem}`;
    } else {
      // Made in the background (10-20 s the first time): the checks run meanwhile, boot waits for it.
      const template = pgliteTemplate(o.nodeModules, o.pgliteCache);
      template.catch(() => {}); // each boot reports it
      out.postgres = { kind: 'pglite', template };
      summary.postgres = `FELL BACK to PGlite (no server answered at ${redact(adminDatabaseUrl())}): tests use the project's own PGlite, boot a pglite-server per combination`;
    }
  }
  if (o.redis) {
    const problem = await o.services.checkRedis();
    if (!problem) {
      out.redis = { kind: 'server', base: baseRedisUrl() };
      summary.redis = `real server at ${redact(baseRedisUrl())}`;
    } else if (!fallsBack(mode, configuredRedisUrl() !== undefined)) {
      out.redis = { kind: 'missing', problem };
      summary.redis = `MISSING: ${problem}`;
    } else {
      const bin = redisServerBinary();
      let failedStart = '';
      if (bin) {
        try {
          const r = await startRedisServer(bin, join(o.workDir, 'redis'), (url) => o.services.checkRedis(url));
          started.push(r);
          out.redis = { kind: 'private', base: r.url };
          summary.redis = `FELL BACK to a private redis-server on ${r.url} (none answered at ${redact(baseRedisUrl())})`;
        } catch (err) {
          failedStart = `${bin} failed to start (${(err as Error).message.split('\n')[0]})`;
        }
      }
      if (!out.redis) {
        const reason = `no Redis: none answered at ${redact(baseRedisUrl())} and ${bin ? failedStart : 'no redis-server binary (PATH, MATRIX_REDIS_SERVER)'}`;
        out.redis = { kind: 'none', reason };
        summary.redis = `FELL BACK to NONE: ${reason}; the projects' Redis tests skip (REDIS_URL unset) and their boot step is skipped`;
      }
    }
  }
  return out;
};

/** `Tests  40 passed | 6 skipped (46)` in vitest's summary: the skipped count. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
export const skippedTests = (output: string): number => {
  const line = output
    .replace(ANSI, '')
    .split('\n')
    .find((l) => /^\s*Tests\s/.test(l));
  const m = line ? /(\d+) skipped/.exec(line) : null;
  return m ? Number(m[1]) : 0;
};

const probe = async (url: string): Promise<number | string> => {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await r.arrayBuffer();
    return r.status;
  } catch (err) {
    return (err as Error).message;
  }
};

const runCombo = async (c: Combo, slot: number, ctx: Ctx): Promise<ComboResult> => {
  const t0 = performance.now();
  const log = ctx.o.log ?? (() => {});
  const combination = describeCombo(c.answers, REAL_SPACE);
  const dir = join(ctx.o.outDir, c.id);
  const steps: StepRun[] = [];
  const notes = [...(c.notes ?? [])];
  const createCmd = ['node', ctx.bin, c.id, ...flagsFor(c.via?.before ?? c.answers), '--no-install', '--no-git'];
  const addCmd = c.via && ['node', join(ctx.o.repoRoot, 'bin', 'omnistack.js'), 'add', ...c.via.add, '--no-install'];
  // A fresh install needs the project's create-omnistack dependency: this checkout, packed (it is not published).
  const cliSpec: Record<string, string> =
    c.install === 'fresh' ? { [CLI_SPEC_ENV]: `file:${await ctx.selfPack()}` } : {};
  const repro: Failure['reproduce'] = [
    { cwd: ctx.o.outDir, command: [envLine(cliSpec), ...createCmd.map(sh)].filter(Boolean).join(' ') },
  ];

  let failed = false;
  const fail = (step: string, message: string, extra: Failure['reproduce'], output?: string) => {
    failed = true;
    ctx.failures.push({
      id: c.id,
      step,
      combination,
      message,
      reproduce: [...repro, ...extra],
      kept: dir,
      ...(output ? { output: tail(output) } : {}),
    });
    log(`  FAIL ${c.id} ${step}: ${message}`);
  };
  const record = (step: string, ok: boolean, ms: number, skipped = false) => {
    steps.push({ step, ok, ms, ...(skipped ? { skipped } : {}) });
  };

  // generate, through the real CLI
  rmSync(dir, { recursive: true, force: true });
  const gen = await exec(process.execPath, createCmd.slice(1), {
    cwd: ctx.o.outDir,
    env: { ...baseEnv(), ...cliSpec },
    timeoutMs: 60_000,
  });
  record('generate', gen.code === 0, gen.ms);
  const node: string = NODE.builds[c.node];
  if (gen.code !== 0) fail('generate', `create-omnistack exited ${gen.code}`, [], gen.output);
  else if (addCmd) {
    const add = await exec(process.execPath, addCmd.slice(1), { cwd: dir, env: baseEnv(), timeoutMs: 60_000 });
    record('add', add.code === 0, add.ms);
    repro.push({ cwd: dir, command: addCmd.map(sh).join(' ') });
    if (add.code !== 0) fail('add', `omnistack add exited ${add.code}`, [], add.output);
  }
  if (failed)
    return {
      id: c.id,
      combination,
      install: c.install,
      node,
      ok: false,
      ms: performance.now() - t0,
      steps,
      dir,
      notes,
    };

  let ready: Ready | undefined;
  let rt: NodeRuntime | undefined;
  /** Time spent waiting for the shared install: the install is reported once, not in each combination. */
  let waited = 0;
  const waitReady = async (): Promise<Ready | undefined> => {
    const w0 = performance.now();
    try {
      ready ??= await ctx.ready;
      return ready;
    } catch (err) {
      fail('deps', (err as Error).message, []);
      return undefined;
    } finally {
      waited += performance.now() - w0;
    }
  };
  const finish = () => {
    const ms = performance.now() - t0 - waited;
    const skipped = steps.filter((s) => s.skipped && s.ok).map((s) => s.step);
    log(
      `${failed ? 'FAIL' : 'ok  '} ${c.id.padEnd(22)} ${(ms / 1000).toFixed(1).padStart(5)}s  node ${c.node}  ${combination}${c.install === 'fresh' ? '  (fresh npm install)' : ''}${skipped.length ? `  (SKIPPED: ${skipped.join(', ')})` : ''}`,
    );
    return { id: c.id, combination, install: c.install, node: rt?.version ?? node, ok: !failed, ms, steps, dir, notes };
  };

  // the Node line the checks run on
  const r0 = performance.now();
  try {
    rt = await ctx.runtime(c.node);
  } catch (err) {
    fail('node', `Node.js ${node}: ${(err as Error).message}`, []);
  }
  waited += performance.now() - r0;
  if (!rt) return finish();
  const { env: nodeEnv, prefix } = rt;

  // dependencies
  if (c.install === 'fresh') {
    const r = await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      env: { ...baseEnv(), ...nodeEnv },
      timeoutMs: 20 * 60_000,
    });
    record('install', r.code === 0, r.ms);
    if (r.code !== 0)
      fail(
        'install',
        `npm install from the generated package.json failed (exit ${r.code})`,
        [{ cwd: dir, command: `${prefix}npm install` }],
        r.output,
      );
    else {
      // The project's own `omnistack` command, from a subfolder; --offline: a registry lookup would fail.
      const cmd = ['npx', '--offline', 'omnistack', 'doctor', '--json'];
      const o = await exec(cmd[0] as string, cmd.slice(1), {
        cwd: join(dir, 'src'),
        env: { ...baseEnv(), ...nodeEnv },
        timeoutMs: 60_000,
      });
      record('omnistack', o.code === 0, o.ms);
      if (o.code !== 0)
        fail(
          'omnistack',
          `${cmd.join(' ')} exited ${o.code}`,
          [{ cwd: join(dir, 'src'), command: `${prefix}${cmd.join(' ')}` }],
          o.output,
        );
    }
  } else {
    const r = await waitReady();
    if (!r) return finish();
    const l0 = performance.now();
    symlinkSync(r.nodeModules, join(dir, 'node_modules'), 'dir');
    record('link', true, performance.now() - l0);
    repro.push({ cwd: dir, command: `ln -s ${sh(r.nodeModules)} node_modules` });
  }

  // services
  const need = needs(c.answers);
  if (need.unknown.length)
    fail('services', `the matrix cannot provide ${need.unknown.join(', ')} (src/matrix/tier1.ts PROVIDED)`, []);
  const svcEnv: Record<string, string> = {};
  const dbName = `omx_${ctx.runId}_${c.id.replace(/\W/g, '_')}`.toLowerCase().slice(0, 63);
  /** Set when PostgreSQL is PGlite: the tests use the project's own, boot gets a pglite-server. */
  let pglite: Extract<PostgresPlan, { kind: 'pglite' }> | undefined;
  /** Set when no Redis is at hand: the Redis tests skip and boot is skipped, both counted. */
  let noRedis: string | undefined;
  let dbCreated = false;
  if (need.postgres || need.redis) {
    const s0 = performance.now();
    let ok = true;
    try {
      const r = await waitReady();
      if (!r) return finish();
      if (need.postgres && r.postgres) {
        if (r.postgres.kind === 'missing') throw new Error(r.postgres.problem);
        if (r.postgres.kind === 'pglite') pglite = r.postgres;
        else {
          svcEnv.DATABASE_URL = await r.services.createDatabase(dbName);
          dbCreated = true;
        }
      }
      if (need.redis && r.redis) {
        if (r.redis.kind === 'missing') throw new Error(r.redis.problem);
        if (r.redis.kind === 'none') noRedis = r.redis.reason;
        else {
          svcEnv.REDIS_URL = withRedisDb(r.redis.base, (slot % 15) + 1);
          await r.services.flushRedis(svcEnv.REDIS_URL);
        }
      }
    } catch (err) {
      ok = false;
      fail('services', (err as Error).message, []);
    }
    record('services', ok, performance.now() - s0);
    if (dbCreated) notes.push(`database ${dbName}`);
    if (pglite) notes.push("PostgreSQL: PGlite (tests: the project's own; boot: pglite-server)");
  }

  // checks
  const env = { ...baseEnv(), ...nodeEnv };
  const binDir = join(dir, 'node_modules', '.bin');
  for (const s of STEPS) {
    const stepEnv = s.services ? { ...env, ...svcEnv } : env;
    const [cmd, ...args] = s.tool ? [join(binDir, s.tool), ...s.cmd.slice(2)] : s.cmd;
    if (s.tool && !existsSync(join(binDir, s.tool))) {
      record(s.name, false, 0);
      fail(s.name, `${s.tool} is not installed in the project (node_modules/.bin/${s.tool} missing)`, []);
      continue;
    }
    const r = await exec(cmd as string, args, { cwd: dir, env: stepEnv, timeoutMs: s.timeoutMs });
    const said = !s.expect || s.expect.output.test(r.output);
    const ok = r.code === 0 && !r.timedOut && said;
    record(s.name, ok, r.ms);
    if (s.name === 'test' && noRedis) {
      const n = skippedTests(r.output);
      ctx.skips.push({ id: c.id, step: 'test', reason: `${n} tests skipped: ${noRedis}` });
      notes.push(`test: ${n} tests skipped (REDIS_URL unset)`);
    }
    if (!ok) {
      const shown = `${prefix}${s.services && Object.keys(svcEnv).length ? `${envLine(svcEnv)} ` : ''}${s.cmd.join(' ')}`;
      fail(
        s.name,
        r.timedOut
          ? `timed out after ${s.timeoutMs / 1000}s`
          : r.code !== 0
            ? `exit ${r.code ?? r.signal}`
            : (s.expect?.otherwise ?? 'failed'),
        [{ cwd: dir, command: shown }],
        r.output,
      );
    }
  }

  // boot and probe
  const built = steps.find((s) => s.step === 'build')?.ok;
  let pgliteServer: Running | undefined;
  if (built && noRedis) {
    // Not a pass in disguise: counted in the report and said on its own line.
    record('boot', true, 0, true);
    ctx.skips.push({ id: c.id, step: 'boot', reason: noRedis });
    log(`  SKIP ${c.id} boot: skipped: ${noRedis}`);
  } else if (built && pglite) {
    const p0 = performance.now();
    try {
      const r = ready as Ready;
      pgliteServer = await startPglite(
        r.nodeModules,
        await pglite.template,
        join(ctx.o.outDir, '.services', `pglite-${c.id}`),
      );
      record('pglite', true, performance.now() - p0);
    } catch (err) {
      record('pglite', false, performance.now() - p0);
      record('boot', false, 0, true);
      fail('boot', `PGlite for the boot step: ${(err as Error).message}`, []);
    }
  }
  const fileEnv = existsSync(join(dir, '.env.example'))
    ? parseEnvFile(readFileSync(join(dir, '.env.example'), 'utf8'))
    : {};
  // Storage readiness checks (an S3 bucket, the Cloudinary API) need a server: the project's own test storage.
  const needsStorage = built && !noRedis && !(pglite && !pgliteServer) && existsSync(join(dir, 'test', 'storage.ts'));
  let storage: Awaited<ReturnType<typeof startTestStorage>> | undefined;
  if (needsStorage) {
    try {
      storage = await startTestStorage(dir, join(ctx.o.outDir, '.services', `storage-${c.id}`), nodeEnv, prefix);
    } catch (err) {
      record('boot', false, 0, true);
      fail('boot', `test storage for the boot step: ${(err as Error).message}`, []);
    }
  }
  if (!built) record('boot', false, 0, true);
  else if (noRedis || (pglite && !pgliteServer) || (needsStorage && !storage)) {
    // skipped (no Redis) or failed (no PGlite, no test storage) above
  } else {
    const b0 = performance.now();
    const port = await freePort();
    const overrides = {
      PORT: String(port),
      HOST: '127.0.0.1',
      ...svcEnv,
      ...(pgliteServer ? { DATABASE_URL: pgliteServer.url } : {}),
      ...storage?.env,
    };
    const shown = `${pgliteServer ? `${pgliteServer.command} & sleep 10; ` : ''}${storage ? `${storage.command} & sleep 3; ` : ''}set -a && . ./.env.example && set +a && ${prefix}${envLine(overrides)} node dist/index.js & sleep 3; curl -fsS http://127.0.0.1:${port}/health/ready; kill -TERM %1`;
    const p = start(rt.node, ['dist/index.js'], { cwd: dir, env: { ...env, ...fileEnv, ...overrides } });
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void p.exited.then((e) => {
      exited = e;
    });
    let problem: string | undefined;
    const poll = async (path: string, deadline: number): Promise<number | string> => {
      let last: number | string = 'no answer';
      while (performance.now() < deadline && !exited) {
        last = await probe(`http://127.0.0.1:${port}${path}`);
        if (last === 200) return last;
        await sleep(100);
      }
      return exited ? `process exited (${exited.code ?? exited.signal}) before answering` : last;
    };
    const deadline = performance.now() + BOOT_TIMEOUT_MS;
    const health = await poll('/health', deadline);
    if (health !== 200) problem = `GET /health: ${health}`;
    else {
      const ready = await poll('/health/ready', Math.min(deadline, performance.now() + 10_000));
      if (ready !== 200) problem = `GET /health/ready: ${ready}`;
    }
    const upMs = performance.now() - b0;
    if (!exited) {
      p.kill('SIGTERM');
      const stopped = await Promise.race([p.exited, sleep(STOP_TIMEOUT_MS).then(() => undefined)]);
      if (!stopped) {
        p.kill('SIGKILL');
        problem ??= `still running ${STOP_TIMEOUT_MS / 1000}s after SIGTERM (no graceful shutdown)`;
      } else if (stopped.code !== 0) problem ??= `exit ${stopped.code ?? stopped.signal} after SIGTERM (expected 0)`;
    }
    p.kill('SIGKILL');
    record('boot', !problem, upMs);
    if (problem) fail('boot', problem, [{ cwd: dir, command: shown }], p.output());
  }
  await pgliteServer?.stop();
  await storage?.stop();

  if (!failed) {
    if (dbCreated) await ready?.services.dropDatabase(dbName).catch(() => {});
    if (!ctx.o.keep) rmSync(dir, { recursive: true, force: true });
  } else if (dbCreated) notes.push(`database ${dbName} kept; drop it with: psql -c 'DROP DATABASE ${dbName}'`);
  return finish();
};

const byNode = (results: readonly ComboResult[]): NonNullable<TierReport['nodes']> => {
  const out: NonNullable<TierReport['nodes']> = {};
  for (const r of results) {
    out[r.node] ??= { passed: [], failed: [] };
    out[r.node]?.[r.ok ? 'passed' : 'failed'].push(r.id);
  }
  return out;
};

export const runCombos = async (o: RunOptions): Promise<TierReport> => {
  const started = performance.now();
  const log = o.log ?? (() => {});
  rmSync(o.outDir, { recursive: true, force: true });
  mkdirSync(o.outDir, { recursive: true });
  const failures: Failure[] = [];
  const skips: Skip[] = [];
  const notes = [...(o.notes ?? [])];
  const samples: StepRun[] = [];
  const anyNeeds = o.combos.map((c) => needs(c.answers));
  const servicesSummary: NonNullable<TierReport['services']> = {};
  /** Stand-ins started for the whole run (the private redis-server), stopped at the end. */
  const standIns: Running[] = [];
  const runtimes = new Map<NodeLine, Promise<NodeRuntime>>();
  const runtime = (line: NodeLine): Promise<NodeRuntime> => {
    let r = runtimes.get(line);
    if (!r) {
      r = nodeRuntime(line, join(o.repoRoot, '.cache', 'node'), log);
      runtimes.set(line, r);
    }
    return r;
  };
  // Nothing to run (an --only that matches nothing): no shared install either.
  const install = o.combos.length
    ? runtime(NODE.primary).then((rt) => sharedDeps(join(o.repoRoot, '.cache', 'deps'), log, rt.env))
    : Promise.reject(new Error('no combinations to run'));
  const ready = install.then(async (deps): Promise<Ready> => {
    notes.push(`shared install ${deps.reused ? 'reused' : 'made'}: ${deps.dir} (${(deps.ms / 1000).toFixed(1)}s)`);
    samples.push({ step: 'deps', ms: deps.ms, ok: true });
    const services = new Services(deps.nodeModules);
    const plans = await resolveServices(
      {
        services,
        nodeModules: deps.nodeModules,
        postgres: anyNeeds.some((n) => n.postgres),
        redis: anyNeeds.some((n) => n.redis),
        pgliteCache: join(o.repoRoot, '.cache', 'pglite', basename(deps.dir)),
        workDir: join(o.outDir, '.services'),
      },
      standIns,
      servicesSummary,
    );
    for (const [name, what] of Object.entries(servicesSummary)) log(`services: ${name}: ${what}`);
    return { nodeModules: deps.nodeModules, services, ...plans };
  });
  ready.catch(() => {}); // each combination reports it
  let packed: Promise<string> | undefined;
  const ctx: Ctx = {
    o,
    bin: join(o.repoRoot, 'bin', 'create-omnistack.js'),
    runtime,
    selfPack: () => {
      packed ??= packSelf(o.repoRoot, join(o.outDir, '.pack'));
      return packed;
    },
    ready,
    runId: `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`,
    failures,
    skips,
  };

  // The fresh install is the slowest and needs no shared install: it starts first, alongside the shared install.
  const queue = [...o.combos].sort((a, b) => (a.install === 'fresh' ? -1 : 0) - (b.install === 'fresh' ? -1 : 0));
  const results: ComboResult[] = [];
  const workers = Math.max(1, Math.min(o.concurrency ?? availableParallelism(), queue.length));
  log(`tier ${o.tier}: ${queue.length} combinations, concurrency ${workers}, output in ${o.outDir}`);
  try {
    await Promise.all(
      Array.from({ length: workers }, async (_, slot) => {
        for (let c = queue.shift(); c; c = queue.shift()) results.push(await runCombo(c, slot, ctx));
      }),
    );
  } finally {
    await Promise.all(standIns.map((s) => s.stop()));
    rmSync(join(o.outDir, '.services'), { recursive: true, force: true });
  }
  results.sort((a, b) => o.combos.findIndex((c) => c.id === a.id) - o.combos.findIndex((c) => c.id === b.id));

  samples.push(...results.flatMap((r) => r.steps.filter((s) => !s.skipped)));
  const shared = results.filter((r) => r.install === 'shared');
  const fresh = results.filter((r) => r.install === 'fresh');
  for (const f of fresh)
    notes.push(`${f.id} installed from its own package.json: ${(f.ms / 1000).toFixed(0)}s in all (not in the median)`);
  const coverage =
    o.tier === 1
      ? pairCoverage(
          o.combos.map((c) => c.answers),
          observableSpace(),
        )
      : undefined;
  return {
    tier: o.tier,
    combinations: results.length,
    passed: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok).length,
    failures,
    steps: stepStats(samples),
    medianComboMs: median(shared.map((r) => r.ms)),
    totalMs: performance.now() - started,
    ...(coverage ? { pairs: { ...coverage, excludedInvalid: o.excludedPairs ?? 0 } } : {}),
    ...(Object.keys(servicesSummary).length ? { services: servicesSummary } : {}),
    skipped: skips,
    nodes: byNode(results),
    notes,
    details: results,
  };
};
