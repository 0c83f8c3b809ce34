import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv as parseDotenv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANSWERS, DIMENSIONS, implementedChoices, RULES } from '../src/choices.js';
import { compose } from '../src/engine/compose.js';
import { fillForced } from '../src/engine/resolve.js';
import { type FileRecord, STATE_FILE } from '../src/engine/state.js';
import { VIOLATIONS } from './examples.js';
import {
  create,
  parseJsonOutput,
  type Result,
  ROOT,
  readProject,
  readTree,
  sha256,
  snapshot,
  useTempDirs,
} from './helpers.js';

const tmp = useTempDirs('cli');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const QUIET = ['--no-install', '--no-git'];

/** A usage error: exit 2, nothing on stdout, `error: <message>` on stderr. */
const expectUsage = (r: Result, ...parts: string[]) => {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^error: /);
  for (const p of parts) expect(r.stderr).toContain(p);
};

/** The folder is exactly as before and no staging folder is left next to it. */
const expectUntouched = (cwd: string, before: string[]) => {
  expect(snapshot(cwd)).toEqual(before);
  expect(readdirSync(cwd).filter((n) => n.includes('.omnistack-'))).toEqual([]);
};

describe.concurrent('missing answers without a terminal', () => {
  const open = fillForced({}).open.map((d) => d.flag);
  const settled = DIMENSIONS.map((d) => d.flag).filter((f) => !open.includes(f));

  it('exits 2 naming every answer that is missing (stdin is not a TTY; never waits)', async () => {
    const cwd = tmp();
    const r = await create(['my-api', ...QUIET], { cwd, timeoutMs: 10_000 });
    expectUsage(r, `Missing answers and no terminal to ask: ${open.join(', ')}.`, '--yes');
    for (const f of settled) expect(r.stderr).not.toContain(`${f},`);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('names the folder too when it is not given', async () => {
    const r = await create(['--db', 'sqlite'], { cwd: tmp(), timeoutMs: 10_000 });
    expectUsage(r, 'Missing answers and no terminal to ask: [dir], ', '--cache');
    expect(r.stderr).not.toContain('--db');
  });

  it('needs no terminal when every open answer is a flag', async () => {
    const cwd = tmp();
    const flags = fillForced({}).open.flatMap((d) => {
      const v = DEFAULT_ANSWERS[d.key];
      return [d.flag, Array.isArray(v) ? v.join(',') || 'none' : v];
    });
    const r = await create(['my-api', ...flags, ...QUIET], { cwd, timeoutMs: 10_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(readProject(join(cwd, 'my-api'))).toEqual(compose({ name: 'my-api', answers: DEFAULT_ANSWERS }));
  });
});

describe.concurrent('bad values', () => {
  it('unknown value: exit 2 listing the valid ones', async () => {
    const cwd = tmp();
    expectUsage(
      await create(['my-api', '--yes', '--db', 'mysql'], { cwd }),
      'Unknown value "mysql" for --db.',
      'valid values: sqlite, postgres',
    );
    expectUsage(
      await create(['my-api', '--yes', '--pm', 'pip'], { cwd }),
      'Unknown value "pip" for --pm.',
      'valid values: npm, pnpm, yarn, bun',
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a planned choice: exit 2 saying it is not available yet', async () => {
    const d = DIMENSIONS.find((x) => x.choices.some((c) => !c.implemented));
    const planned = d?.choices.find((c) => !c.implemented);
    if (!d || !planned) return; // everything is built
    expectUsage(
      await create(['my-api', '--yes', d.flag, planned.value], { cwd: tmp() }),
      `${d.flag} ${planned.value} is planned but not available in this version.`,
      `available: ${implementedChoices(d).join(', ') || 'none'}`,
    );
  });

  it('--jobs bullmq --cache memory: exit 2 naming what is wrong', async () => {
    const jobs = DIMENSIONS.find((d) => d.key === 'jobs');
    const r = await create(['my-api', '--yes', '--jobs', 'bullmq', '--cache', 'memory'], { cwd: tmp() });
    if (jobs?.choices.find((c) => c.value === 'bullmq')?.implemented) {
      expectUsage(r, 'bullmq-requires-redis', '--cache redis');
    } else {
      // Today BullMQ is planned: the flag is refused before any rule can run.
      expectUsage(r, '--jobs bullmq is planned but not available in this version.');
    }
  });

  for (const rule of RULES) {
    it(`rule ${rule.name} through the CLI: exit 2 naming the rule once its choices exist`, async () => {
      const bad = VIOLATIONS[rule.name] ?? {};
      const flags = Object.entries(bad).flatMap(([key, v]) => {
        const d = DIMENSIONS.find((x) => x.key === key);
        return [d?.flag ?? '', [v].flat().join(',') || 'none'];
      });
      const unavailable = Object.entries(bad).find(([key, v]) => {
        const d = DIMENSIONS.find((x) => x.key === key);
        return [v].flat().some((c) => d?.choices.find((x) => x.value === c)?.implemented === false);
      });
      const r = await create(['my-api', '--yes', ...flags, '--json'], { cwd: tmp() });
      expect(r.code).toBe(2);
      const out = parseJsonOutput(r.stdout);
      expect(out.ok).toBe(false);
      if (unavailable) expect(out.error).toContain('is planned but not available');
      else {
        expect(out.rule).toBe(rule.name);
        expect(out.error).toContain(rule.name);
        expect(out.hint).toBe(rule.hint);
      }
    });
  }
});

describe.concurrent('target folder', () => {
  it('refuses names npm would refuse', async () => {
    const cwd = tmp();
    for (const name of ['My-API', 'http', 'node_modules', '_private', 'a b', 'x'.repeat(215)]) {
      expectUsage(await create([name, '--yes', ...QUIET], { cwd }), `"${name}" is not a valid package name`);
    }
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses .. and absolute paths, writing nothing anywhere', async () => {
    const outer = tmp();
    const cwd = join(outer, 'inner');
    mkdirSync(cwd);
    const before = snapshot(outer);
    for (const dir of ['..', '../escape', 'a/../../escape']) {
      const r = await create([dir, '--yes', ...QUIET], { cwd });
      expect(r.code, `${dir}: ${r.stderr}`).toBe(2);
    }
    expectUsage(await create(['../escape', '--yes'], { cwd }), 'leaves the current directory');
    expectUsage(await create([join(outer, 'abs'), '--yes'], { cwd }), 'is an absolute path');
    expect(snapshot(outer)).toEqual(before);
  });

  it('creates into the current folder with ".", named after it, when it is empty', async () => {
    const cwd = join(tmp(), 'here-api');
    mkdirSync(cwd);
    const r = await create(['.', '--yes', ...QUIET], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).name).toBe('here-api');
    expect(readdirSync(join(cwd, '..'))).toEqual(['here-api']); // no staging folder left beside it
    expectUsage(await create(['.', '--yes', ...QUIET], { cwd }), 'is not empty');
  });

  it('says a named folder is not empty before asking anything', async () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', 'notes.txt'), 'keep me\n');
    const r = await create(['my-api'], { cwd });
    expectUsage(r, 'Target folder my-api is not empty.', '--force');
    expect(r.stderr).not.toContain('Missing answers');
  });

  it('--force over a project made with other choices: exit 2, nothing changed; the same choices repair it', async () => {
    const cwd = tmp();
    expect((await create(['my-api', '--yes', ...QUIET], { cwd })).code).toBe(0);
    const before = snapshot(cwd);
    const other = await create(['my-api', '--yes', '--db', 'postgres', '--force', ...QUIET], { cwd });
    expectUsage(other, 'is a create-omnistack project made with other choices', 'npx omnistack list');
    expectUntouched(cwd, before);
    rmSync(join(cwd, 'my-api', 'src', 'app.ts'));
    const same = await create(['my-api', '--yes', '--force', ...QUIET, '--json'], { cwd });
    expect(same.code, same.stdout).toBe(0);
    expect(parseJsonOutput(same.stdout).counts).toEqual({ create: 1, unchanged: expect.any(Number), overwrite: 0 });
  });

  it('refuses a non-empty folder (exit 2) and changes nothing in it', async () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', 'package.json'), '{"name":"mine"}\n');
    writeFileSync(join(cwd, 'my-api', 'notes.txt'), 'keep me\n');
    const before = snapshot(cwd);
    expectUsage(await create(['my-api', '--yes', ...QUIET], { cwd }), 'is not empty', '--force');
    expectUntouched(cwd, before);
    // The same with --dry-run and with --json.
    expectUsage(await create(['my-api', '--yes', '--dry-run'], { cwd }), 'is not empty');
    const r = await create(['my-api', '--yes', '--json', ...QUIET], { cwd });
    expect(r.code).toBe(2);
    expect(parseJsonOutput(r.stdout)).toMatchObject({ ok: false, exitCode: 2 });
    expectUntouched(cwd, before);
  });

  it('refuses a target that is a file', async () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'my-api'), 'a file\n');
    const before = snapshot(cwd);
    expectUsage(await create(['my-api', '--yes', ...QUIET], { cwd }), 'is not a directory');
    expectUntouched(cwd, before);
  });

  it('accepts an empty existing folder and a nested path', async () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'empty'));
    expect((await create(['empty', '--yes', ...QUIET], { cwd })).code).toBe(0);
    expect(existsSync(join(cwd, 'empty', 'package.json'))).toBe(true);
    expect((await create(['apps/api', '--yes', ...QUIET], { cwd })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'apps', 'api', 'package.json'), 'utf8')).name).toBe('api');
  });
});

describe.concurrent('--force', () => {
  it('writes into a non-empty folder, backs up what it replaces, deletes nothing it did not write', async () => {
    const cwd = tmp();
    const root = join(cwd, 'my-api');
    const expected = compose({ name: 'my-api', answers: DEFAULT_ANSWERS });
    const same = [...expected.keys()].find((p) => p.startsWith('src/') && p !== STATE_FILE) as string;
    mkdirSync(join(root, 'src'), { recursive: true });
    const mine = {
      'package.json': '{"name":"mine"}\n',
      'notes.txt': 'keep me\n',
      'src/user-code.ts': 'export const mine = 1;\n',
      'data/app.db': 'not really a database\n',
    };
    for (const [p, text] of Object.entries(mine)) {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), text);
    }
    mkdirSync(join(root, same, '..'), { recursive: true });
    writeFileSync(join(root, same), expected.get(same) as string); // already what we would write

    const dry = await create(['my-api', '--yes', '--force', '--dry-run', '--json'], { cwd });
    const plan = parseJsonOutput(dry.stdout) as { files: { path: string; action: string }[] };
    expect(plan.files.find((f) => f.path === 'package.json')?.action).toBe('overwrite');
    expect(plan.files.find((f) => f.path === same)?.action).toBe('unchanged');

    const r = await create(['my-api', '--yes', '--force', ...QUIET, '--json'], { cwd });
    expect(r.code, r.stdout).toBe(0);
    const after = readTree(root);
    // Every file of ours is there, as rendered.
    for (const [p, text] of expected) expect(after.get(p), p).toBe(text);
    // Every file of the user's is still there: untouched, or replaced with a backup of the old text.
    expect(after.get('notes.txt')).toBe(mine['notes.txt']);
    expect(after.get('src/user-code.ts')).toBe(mine['src/user-code.ts']);
    expect(after.get('data/app.db')).toBe(mine['data/app.db']);
    const backups = readdirSync(join(root, '.omnistack', 'backup'));
    expect(backups).toHaveLength(1);
    const backup = readTree(join(root, '.omnistack', 'backup', backups[0] as string));
    expect([...backup]).toEqual([['package.json', mine['package.json']]]);
    // Nothing else appeared: ours + the user's + the backup.
    const known = new Set([...expected.keys(), ...Object.keys(mine), same, '.env']);
    expect([...after.keys()].filter((p) => !known.has(p) && !p.startsWith('.omnistack/backup/'))).toEqual([]);
    expect(readdirSync(cwd)).toEqual(['my-api']);

    // Again: everything is already as rendered, so nothing is replaced and no new backup appears.
    const again = await create(['my-api', '--yes', '--force', ...QUIET, '--json'], { cwd });
    expect(parseJsonOutput(again.stdout).counts).toMatchObject({ overwrite: 0, create: 0 });
    expect(readdirSync(join(root, '.omnistack', 'backup'))).toEqual(backups);
  });
});

describe.concurrent('--dry-run', () => {
  it('writes nothing and prints the plan', async () => {
    const cwd = tmp();
    const r = await create(['my-api', '--yes', '--dry-run'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    const tree = compose({ name: 'my-api', answers: DEFAULT_ANSWERS });
    for (const p of tree.keys()) expect(r.stdout).toContain(`create    ${p}\n`);
  });

  it('with --json: one object listing every file', async () => {
    const cwd = tmp();
    const r = await create(['--yes', '--dry-run', '--json'], { cwd });
    expect(r.code).toBe(0);
    const out = parseJsonOutput(r.stdout) as { files: { path: string; action: string }[] };
    expect(out).toMatchObject({ ok: true, dryRun: true, name: 'my-api', answers: DEFAULT_ANSWERS });
    expect(out.files.map((f) => f.path)).toEqual([
      ...compose({ name: 'my-api', answers: DEFAULT_ANSWERS }).keys(),
      '.env',
    ]);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe.concurrent('output', () => {
  it('creates the default project with a clean exit and next steps', async () => {
    const cwd = tmp();
    const r = await create(['my-api', '--yes', ...QUIET], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Created my-api, with a local .env holding fresh secrets');
    expect(r.stdout).toContain('cd my-api');
    expect(readdirSync(cwd)).toEqual(['my-api']);
    // The record on disk matches the files on disk.
    const tree = readProject(join(cwd, 'my-api'));
    const record = JSON.parse(tree.get(STATE_FILE) as string) as Record<string, FileRecord>;
    expect(Object.keys(record).sort()).toEqual([...tree.keys()].filter((p) => p !== STATE_FILE).sort());
    for (const [p, { sha256: hash }] of Object.entries(record)) expect(sha256(tree.get(p) as string), p).toBe(hash);
  });

  it('writes a local .env: every variable of .env.example, fresh secrets where the project can make them', async () => {
    const [a, b] = [tmp(), tmp()];
    const flags = ['api', '--yes', '--auth', 'jwt', '--cache', 'redis', '--jobs', 'bullmq', ...QUIET];
    expect((await create(flags, { cwd: a })).code).toBe(0);
    expect((await create(flags, { cwd: b })).code).toBe(0);
    const read = (dir: string, file: string) => parseDotenv(readFileSync(join(dir, 'api', file), 'utf8'));
    const [envA, envB, example] = [read(a, '.env'), read(b, '.env'), read(a, '.env.example')];
    expect(Object.keys(envA)).toEqual(Object.keys(example));
    for (const name of ['AUTH_JWT_SECRET', 'STORAGE_SIGNING_SECRET', 'ADMIN_TOKEN']) {
      expect(envA[name], name).toMatch(/^[\w-]{43}$/);
      expect(envA[name], name).not.toBe(envB[name]);
    }
    // A generated HS256 secret and a JWKS URL contradict each other: the URL stays unset.
    expect(envA.AUTH_JWKS_URL).toBe('');
    expect(envA.REDIS_URL).toBe(example.REDIS_URL);
    expect(readFileSync(join(a, 'api', '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    // Secrets: readable by the owner only.
    expect(statSync(join(a, 'api', '.env')).mode & 0o777).toBe(0o600);
  });

  it('never replaces an existing .env, even with --force', async () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', '.env'), 'MINE=1\n');
    const r = await create(['my-api', '--yes', '--force', ...QUIET], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Created my-api, with your .env, kept as it was.');
    expect(readFileSync(join(cwd, 'my-api', '.env'), 'utf8')).toBe('MINE=1\n');
    expect(existsSync(join(cwd, 'my-api', '.omnistack', 'backup'))).toBe(false);
  });

  it('is deterministic: the same answers give byte-identical trees', async () => {
    const [a, b] = [tmp(), tmp()];
    const flags = ['my-api', '--yes', '--db', 'postgres', '--deploy', 'fly', ...QUIET];
    expect((await create(flags, { cwd: a })).code).toBe(0);
    expect((await create(flags, { cwd: b })).code).toBe(0);
    const [ta, tb] = [readProject(join(a, 'my-api')), readProject(join(b, 'my-api'))];
    expect(ta.size).toBeGreaterThan(3);
    expect([...ta]).toEqual([...tb]);
  });

  it('--json prints one parseable object on success', async () => {
    const cwd = tmp();
    const r = await create(['my-api', '--yes', '--json', ...QUIET], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = parseJsonOutput(r.stdout);
    const tree = compose({ name: 'my-api', answers: DEFAULT_ANSWERS });
    expect(out).toEqual({
      ok: true,
      dir: join(cwd, 'my-api'),
      name: 'my-api',
      answers: DEFAULT_ANSWERS,
      files: [...tree.keys(), '.env'].map((path) => ({ path, action: 'create' })),
      counts: { create: tree.size + 1, unchanged: 0, overwrite: 0 }, // + the local .env
      installed: false,
      git: false,
      notes: [],
    });
  });

  it('--json prints one parseable object on failure, for usage errors and bad flags alike', async () => {
    for (const args of [
      ['my-api', '--db', 'mysql', '--yes'],
      ['my-api', '--frobnicate'],
      ['My-API', '--yes'],
      ['my-api'],
    ]) {
      const r = await create([...args, '--json'], { cwd: tmp() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe('');
      const out = parseJsonOutput(r.stdout);
      expect(out).toMatchObject({ ok: false, exitCode: 2 });
      expect(typeof out.error).toBe('string');
    }
  });

  it('--help shows every flag and examples, exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await create([flag], { cwd: tmp() });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: create-omnistack [dir] [options]');
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain('npx create-omnistack my-api --yes');
      for (const d of DIMENSIONS) expect(r.stdout).toContain(d.flag);
      for (const f of ['--no-install', '--no-git', '--dry-run', '--json', '--force', '--pm', '--yes']) {
        expect(r.stdout).toContain(f);
      }
    }
  });

  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await create([flag], { cwd: tmp() });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${VERSION}\n`);
    }
  });

  it('an unknown flag, a missing value or an extra argument exits 2', async () => {
    const cwd = tmp();
    expectUsage(
      await create(['my-api', '--frobnicate'], { cwd }),
      "Unknown option '--frobnicate'.",
      'hint: see create-omnistack --help',
    );
    expectUsage(await create(['my-api', '--yes', '--db'], { cwd }), "Option '--db <", 'argument missing');
    expectUsage(
      await create(['my-api', 'extra', '--yes'], { cwd }),
      'Too many arguments. Expected 1 argument but got 2.',
    );
    expectUsage(await create(['my-api', '--yes=no'], { cwd }), "Unknown option '--yes=no'.");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a mistyped flag: exit 2 suggesting the right one, as JSON with --json', async () => {
    const cwd = tmp();
    expectUsage(await create(['my-api', '--yes', '--dry-rn'], { cwd }), 'hint: did you mean --dry-run?');
    const r = await create(['my-api', '--yes', '--frce', '--json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(parseJsonOutput(r.stdout)).toEqual({
      ok: false,
      exitCode: 2,
      error: "Unknown option '--frce'.",
      hint: 'did you mean --force?',
    });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a repeated list flag keeps every value, not only the last', async () => {
    const many = DIMENSIONS.find((d) => d.kind === 'many' && d.choices.some((c) => !c.implemented));
    const planned = many?.choices.find((c) => !c.implemented);
    if (!many || !planned) return; // every list choice is built
    // The planned value comes first: it is refused only if the second flag did not replace it.
    expectUsage(
      await create(['my-api', '--yes', many.flag, planned.value, many.flag, 'none', '--dry-run'], { cwd: tmp() }),
      `${many.flag} ${planned.value} is planned but not available in this version.`,
    );
  });
});
