import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CREATE, childEnv, create, snapshot, useTempDirs, waitFor } from './helpers.js';

const tmp = useTempDirs('atomic');

const stagingDirs = (cwd: string): string[] => readdirSync(cwd).filter((n) => n.startsWith('.my-api.omnistack-'));

const filesIn = (dir: string): number =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

/**
 * Starts `create` with writing slowed down (OMNISTACK_WRITE_DELAY_MS, honoured by src/engine/apply.ts),
 * waits until a few files are staged, sends `signal`, and returns the exit code.
 */
const interrupt = async (cwd: string, signal: NodeJS.Signals, extra: string[] = []): Promise<number | string> => {
  const child = spawn(process.execPath, [CREATE, 'my-api', '--yes', '--no-install', '--no-git', ...extra], {
    cwd,
    env: childEnv({ OMNISTACK_WRITE_DELAY_MS: '150' }),
    stdio: 'ignore',
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, sig) => resolve(code ?? sig ?? 'unknown')),
  );
  await waitFor(() => stagingDirs(cwd).some((d) => filesIn(join(cwd, d)) >= 2), 15_000, 'the staging folder to fill');
  child.kill(signal);
  return exited;
};

describe.concurrent('atomic create', () => {
  it('SIGKILL mid-write leaves no target folder; the next run clears the dead staging folder', async () => {
    const cwd = tmp();
    expect(await interrupt(cwd, 'SIGKILL')).toBe('SIGKILL');
    expect(existsSync(join(cwd, 'my-api'))).toBe(false);
    expect(stagingDirs(cwd)).toHaveLength(1); // nothing can clean up after SIGKILL ...
    const r = await create(['my-api', '--yes', '--no-install', '--no-git'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(stagingDirs(cwd)).toEqual([]); // ... but the next run does
    expect(existsSync(join(cwd, 'my-api', 'package.json'))).toBe(true);
  });

  it('SIGINT mid-write exits 130 and leaves neither the target nor the staging folder', async () => {
    const cwd = tmp();
    expect(await interrupt(cwd, 'SIGINT')).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('SIGTERM mid-write exits 143 and leaves nothing', async () => {
    const cwd = tmp();
    expect(await interrupt(cwd, 'SIGTERM')).toBe(143);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('SIGINT during --force leaves the existing folder exactly as it was', async () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', 'package.json'), '{"name":"mine"}\n');
    const before = snapshot(cwd);
    expect(await interrupt(cwd, 'SIGINT', ['--force'])).toBe(130);
    expect(snapshot(cwd)).toEqual(before);
  });
});
