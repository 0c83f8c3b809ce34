/** Child processes for the matrix: own process group (so a timeout kills npx and all it started), output kept. */
import { type ChildProcess, spawn } from 'node:child_process';

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

/** Kills every process group the matrix started (on Ctrl-C). */
export const killAll = (): void => {
  for (const c of live) killGroup(c);
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
