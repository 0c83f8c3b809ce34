import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { NODE } from '../src/catalog.js';
import { nodeTooOld } from '../src/cli/finish.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CREATE = join(ROOT, 'bin', 'create-omnistack.js');
export const OMNISTACK = join(ROOT, 'bin', 'omnistack.js');
export const PTY = join(ROOT, 'test', 'pty-run.py');
/** A Node generated projects support: this one, or the build global-setup fetched (see src/matrix/node-runtime.ts). */
export const SUPPORTED_NODE = nodeTooOld()
  ? join(ROOT, '.cache', 'node', NODE.builds[NODE.primary], 'bin', 'node')
  : process.execPath;

/** A fresh folder per call, removed when the test file ends; names are unique, so files run in parallel. */
export const useTempDirs = (label: string): (() => string) => {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `omnistack-${label}-`));
    made.push(dir);
    return dir;
  };
};

/**
 * The environment every child gets: no git identity or hooks from this machine, no CI mode,
 * no package manager hint from `npm test` itself.
 */
export const childEnv = (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('npm_') || k === 'CI' || k.startsWith('GIT_')) delete env[k];
  return {
    ...env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
    ...extra,
  };
};

export interface Result {
  /** Exit code, or 128 + signal number when killed by a signal. */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** The child is killed (and the test fails on its result) after this long: nothing may hang. */
  timeoutMs?: number;
  /** The node binary that runs the script (default: the one running the tests). */
  node?: string;
}

/** Runs a node script with stdin closed (not a TTY) and collects its output. */
export const runNode = (script: string, args: string[], o: RunOptions): Promise<Result> =>
  runProcess(o.node ?? process.execPath, [script, ...args], o);

export const runProcess = (cmd: string, args: string[], o: RunOptions): Promise<Result> =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: childEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128 + (signal ? (SIGNALS[signal] ?? 0) : 0), signal, stdout, stderr });
    });
  });

export const create = (args: string[], o: RunOptions): Promise<Result> => runNode(CREATE, args, o);
export const omnistack = (args: string[], o: RunOptions): Promise<Result> => runNode(OMNISTACK, args, o);

/** A created project's files but its local `.env`, whose secrets are fresh each time (tested on their own). */
export const readProject = (dir: string): Map<string, string> => readTree(dir, (rel) => rel === '.env');

/** Every file under `dir` (path relative to it, `/`-separated) -> content. */
export const readTree = (dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> => {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((rel) => !skip(rel))
    .sort();
  for (const rel of entries) out.set(rel, readFileSync(join(dir, rel), 'utf8'));
  return out;
};

/** Path, size, mode and mtime of everything under `dir`: equal snapshots mean nothing was touched. */
export const snapshot = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((abs) => {
      const s = statSync(abs);
      const hash = s.isFile() ? createHash('sha256').update(readFileSync(abs)).digest('hex') : 'dir';
      return `${relative(dir, abs)} ${s.mode} ${s.mtimeMs} ${hash}`;
    });

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Parses the one JSON object a `--json` run prints on stdout (and fails if there is anything else). */
export const parseJsonOutput = (stdout: string): Record<string, unknown> => {
  const lines = stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one line of JSON on stdout, got:\n${stdout}`);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true (or fails after `ms`). */
export const waitFor = async (check: () => boolean, ms: number, what: string): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};
