/** Child processes for the matrix: own process group (so a timeout kills npx and all it started), output kept. */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  ms: number;
  timedOut: boolean;
}

const MAX_OUTPUT = 256 * 1024;
const live = new Set<ChildProcess>();

const killGroup = (child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') => {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
};

/**
 * Lets the event loop run once. Signal handlers only run there: a tier doing its work synchronously
 * (rendering and merging in memory) calls this between items, or Ctrl-C and SIGTERM would wait for
 * the whole tier.
 */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Kills every process group the matrix started. */
const killAll = (): void => {
  for (const c of live) killGroup(c);
};

/**
 * On Ctrl-C, a CI timeout's SIGTERM or a closed terminal, kill every process group the matrix
 * started (servers included: a private redis-server would outlive the run) and exit 128 + signal.
 */
export const stopOnSignals = (): void => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)
    process.once(signal, () => {
      killAll();
      for (const remove of scratch) rmSync(remove, { recursive: true, force: true });
      process.exit(code);
    });
};

const scratch = new Set<string>();

/** A folder the run removes when it ends, also when a signal stops it; call the result when done with it. */
export const scratchFolder = (dir: string): (() => void) => {
  scratch.add(dir);
  return () => {
    scratch.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  };
};

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill: (signal?: NodeJS.Signals) => void;
}

export const start = (cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv }): Started => {
  const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  const add = (b: Buffer) => {
    out += b.toString();
    if (out.length > MAX_OUTPUT * 2) out = out.slice(-MAX_OUTPUT);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (err) => {
      out += `\n${err.message}`;
      live.delete(child);
      resolve({ code: 127, signal: null });
    });
    child.on('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, output: () => out.slice(-MAX_OUTPUT), exited, kill: (s) => killGroup(child, s) };
};

export const exec = async (
  cmd: string,
  args: string[],
  o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ExecResult> => {
  const t0 = performance.now();
  const p = start(cmd, args, o);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    p.kill('SIGKILL');
  }, o.timeoutMs);
  const { code, signal } = await p.exited;
  clearTimeout(timer);
  // The group may still hold grandchildren (a watcher, a server a test forgot to close).
  p.kill('SIGKILL');
  return { code, signal, output: p.output(), ms: performance.now() - t0, timedOut };
};

/** The last `n` lines of some output. */
export const tail = (text: string, n = 40): string => text.trimEnd().split('\n').slice(-n).join('\n');
