import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { create, omnistack, snapshot, useTempDirs } from './helpers.js';

const tempDir = useTempDirs('change-cli');

/** A default project, made by the real CLI. */
const project = async (): Promise<string> => {
  const cwd = tempDir();
  const r = await create(['app', '--yes', '--no-install', '--no-git'], { cwd });
  expect(r.code, r.stderr).toBe(0);
  return join(cwd, 'app');
};

describe('omnistack add / remove / undo from the command line', () => {
  let root: string;
  beforeAll(async () => {
    root = await project();
  });

  it('--dry-run --json gives the per-file plan with diffs and writes nothing', async () => {
    const before = snapshot(root);
    const r = await omnistack(['add', 'cache', 'redis', '--dry-run', '--json'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, dryRun: true, command: 'add cache redis', conflicts: [] });
    expect(out.answers.to.cache).toBe('redis');
    const files = new Map(out.files.map((f: { path: string }) => [f.path, f]));
    expect(files.get('src/lib/redis-cache.ts')).toMatchObject({ action: 'create' });
    expect(files.get('src/lib/memory-cache.ts')).toMatchObject({ action: 'delete' });
    expect(files.get('package.json')).toMatchObject({
      action: 'update',
      diff: expect.stringContaining('+    "ioredis"'),
    });
    expect(snapshot(root)).toEqual(before);
  });

  it('--dry-run shows no deletion for an edited file the change would remove: it stays', async () => {
    const dir = await project();
    writeFileSync(
      join(dir, 'src/lib/memory-cache.ts'),
      `// ours\n${readFileSync(join(dir, 'src/lib/memory-cache.ts'), 'utf8')}`,
    );
    const r = await omnistack(['add', 'cache', 'redis', '--dry-run', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const kept = JSON.parse(r.stdout).files.find((f: { path: string }) => f.path === 'src/lib/memory-cache.ts');
    expect(kept).toMatchObject({ action: 'conflict' });
    expect(kept.diff).toBeUndefined();
  });

  it('refuses bad requests with exit 2 and writes nothing', async () => {
    const before = snapshot(root);
    const cases: [string[], RegExp][] = [
      [['add', 'jobs', 'bullmq'], /rule bullmq-requires-redis(.|\n)*omnistack add cache redis jobs bullmq/],
      [['add', 'colour', 'red'], /Unknown dimension "colour"/],
      [['add', 'storage', 'floppy'], /Unknown value "floppy" for --storage/],
      [['add', 'db', 'sqlite'], /db sqlite is already in this project/],
      [['remove', 'storage', 's3'], /storage s3 is not in this project/],
      [['add'], /missing required argument/i],
    ];
    for (const [args, message] of cases) {
      const r = await omnistack(args, { cwd: root });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const outside = await omnistack(['add', 'storage', 's3'], { cwd: tempDir() });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('No omnistack.json');
    expect(snapshot(root)).toEqual(before);
  });

  it('stops on a conflict (exit 1, nothing written), writes markers when asked, and undo restores the project', async () => {
    const dir = await project();
    const env = join(dir, 'src/env.ts');
    const original = readFileSync(env, 'utf8');
    writeFileSync(env, original.replace(/^(.*CACHE.*|.*cache.*)$/m, '$1 // ours'));
    const edited = snapshot(dir);
    const stop = await omnistack(['add', 'cache', 'redis', '--no-install'], { cwd: dir });
    if (stop.code === 0) throw new Error(`expected a conflict in src/env.ts:\n${stop.stdout}`);
    expect(stop.code).toBe(1);
    expect(stop.stderr).toMatch(
      /stopped: 1 file\(s\) changed by you and by the change. Nothing was written.\n {2}src\/env.ts/,
    );
    expect(snapshot(dir)).toEqual(edited);

    const marked = await omnistack(['add', 'cache', 'redis', '--no-install', '--on-conflict', 'markers', '--json'], {
      cwd: dir,
    });
    expect(marked.code).toBe(1);
    expect(JSON.parse(marked.stdout)).toMatchObject({ ok: false, written: true, conflicts: ['src/env.ts'] });
    expect(readFileSync(env, 'utf8')).toContain('<<<<<<< yours');

    // Resolving by hand and then undoing would lose the resolution: undo says so.
    writeFileSync(env, original);
    const refused = await omnistack(['undo', '--no-install'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('src/env.ts');
  });

  it('applies an add, then undo puts back every byte', async () => {
    const dir = await project();
    const before = snapshot(dir).filter((line) => !line.startsWith('.omnistack'));
    const added = await omnistack(['add', 'storage', 's3', '--no-install'], { cwd: dir });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('omnistack undo puts the project back');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toContain('@aws-sdk/client-s3');
    const undone = await omnistack(['undo', '--no-install', '--json'], { cwd: dir });
    expect(undone.code, undone.stderr).toBe(0);
    expect(JSON.parse(undone.stdout)).toMatchObject({ ok: true, undone: 'add storage s3' });
    const after = snapshot(dir).filter((line) => !line.startsWith('.omnistack'));
    // mtimes differ for restored files; compare paths, modes and contents.
    const strip = (lines: string[]) => lines.map((l) => l.replace(/ \d+(\.\d+)? (\S+)$/, ' $2'));
    expect(strip(after)).toEqual(strip(before));
  });
});
