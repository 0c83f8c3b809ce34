import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { alive } from '../src/matrix/deps.js';
import { useTempDirs } from './helpers.js';

const tmp = useTempDirs('signals');
const EXEC = join(import.meta.dirname, '..', 'src', 'matrix', 'exec.ts');

/** A matrix-like process: a scratch folder, a long-lived server started the way the matrix does; prints its pid, waits. */
const fixture = (dir: string): string => {
  const entry = join(dir, 'fixture.ts');
  writeFileSync(
    entry,
    `import { mkdirSync } from 'node:fs';
import { scratchFolder, start, stopOnSignals } from ${JSON.stringify(EXEC)};
stopOnSignals();
mkdirSync(${JSON.stringify(join(dir, 'scratch'))});
scratchFolder(${JSON.stringify(join(dir, 'scratch'))});
const server = start('sleep', ['300'], { cwd: ${JSON.stringify(dir)}, env: process.env });
console.log(server.child.pid);
setInterval(() => {}, 1000);
`,
  );
  const out = join(dir, 'fixture.mjs');
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
  return out;
};

describe('a matrix run stopped from outside', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)(
    'on %s kills every process group it started, removes its scratch folders and exits %i',
    async (signal, code) => {
      const dir = tmp();
      const child = spawn(process.execPath, [fixture(dir)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const server = Number(line.toString().trim());
      expect(alive(server)).toBe(true);
      child.kill(signal);
      const [exitCode] = (await once(child, 'exit')) as [number | null];
      expect(exitCode).toBe(code);
      // The server was in its own process group, so the signal to the parent alone never reached it.
      await expect.poll(() => alive(server), { timeout: 2_000 }).toBe(false);
      expect(existsSync(join(dir, 'scratch'))).toBe(false);
    },
  );
});
