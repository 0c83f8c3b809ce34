import {
  chmodSync,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Answers, DEFAULT_ANSWERS } from '../src/choices.js';
import { apply } from '../src/engine/apply.js';
import { changeAnswers } from '../src/engine/change.js';
import { compose, localEnv } from '../src/engine/compose.js';
import { applyPlan, undoLast } from '../src/engine/history.js';
import { planCreate } from '../src/engine/plan.js';
import { readProject as readRecord } from '../src/engine/record.js';
import { recordFiles, STATE_FILE } from '../src/engine/state.js';
import { conflictsOf, planUpdate } from '../src/engine/update.js';
import { readTree, snapshot, useTempDirs } from './helpers.js';

const tempDir = useTempDirs('update');

const createAt = async (answers: Partial<Answers>): Promise<string> => {
  const root = join(tempDir(), 'app');
  const project = { name: 'app', answers: { ...DEFAULT_ANSWERS, ...answers } };
  await apply(planCreate(compose(project), root, false, new Map([['.env', localEnv(project)]])));
  return root;
};

const edit = (root: string, path: string, change: (text: string) => string) =>
  writeFileSync(join(root, path), change(readFileSync(join(root, path), 'utf8')));

const plan = (root: string, kind: 'add' | 'remove', tokens: string[]) => {
  const from = readRecord(root);
  return planUpdate(from, changeAnswers(from.answers, kind, tokens), { command: `${kind} ${tokens.join(' ')}` });
};

const change = (root: string, kind: 'add' | 'remove', tokens: string[], markers = false) => {
  const p = plan(root, kind, tokens);
  applyPlan(p, markers);
  return p;
};

const generated = (answers: Partial<Answers>) => compose({ name: 'app', answers: { ...DEFAULT_ANSWERS, ...answers } });

describe('omnistack add on an untouched project', () => {
  it('fast-forwards every file to what create writes for the new answers, and appends .env variables', async () => {
    const root = await createAt({ cache: 'memory' });
    const envBefore = readFileSync(join(root, '.env'), 'utf8');
    const p = change(root, 'add', ['cache', 'redis']);
    expect(conflictsOf(p)).toEqual([]);
    expect(p.files.map((f) => f.action)).not.toContain('merge');
    const want = generated({ cache: 'redis' });
    const got = readTree(root, (rel) => rel === '.env' || rel.startsWith('.omnistack/history/'));
    for (const [path, text] of want) if (path !== STATE_FILE) expect(got.get(path), path).toBe(text);
    expect([...got.keys()].filter((path) => !want.has(path))).toEqual([]);
    const env = readFileSync(join(root, '.env'), 'utf8');
    expect(env.startsWith(envBefore)).toBe(true);
    expect(env.slice(envBefore.length)).toMatch(/# Added by omnistack add cache redis\n(.|\n)*REDIS_URL=redis:\/\//);
    expect(statSync(join(root, '.env')).mode & 0o777).toBe(0o600);
    // The undo history holds the previous .env: owner-only.
    const [entry] = readdirSync(join(root, '.omnistack/history'));
    expect(statSync(join(root, '.omnistack/history', entry as string)).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, '.omnistack/history', entry as string, 'before/.env')).mode & 0o777).toBe(0o600);
  });

  it('refuses what is already there, a broken rule and an unknown dimension with a UsageError', async () => {
    const root = await createAt({});
    const from = readRecord(root);
    expect(() => changeAnswers(from.answers, 'add', ['db', 'sqlite'])).toThrow(/db sqlite is already in this project/);
    expect(() => changeAnswers(from.answers, 'add', ['jobs', 'bullmq'])).toThrow(/rule bullmq-requires-redis/);
    expect(() => changeAnswers(from.answers, 'add', ['colour', 'red'])).toThrow(/Unknown dimension "colour"/);
    expect(() => changeAnswers(from.answers, 'remove', ['db'])).toThrow(/Every project has a db/);
    expect(() => changeAnswers(from.answers, 'remove', ['storage', 's3'])).toThrow(/storage s3 is not in this project/);
    expect(changeAnswers(from.answers, 'add', ['cache', 'redis', 'jobs', 'bullmq'])).toMatchObject({
      cache: 'redis',
      jobs: 'bullmq',
    });
  });
});

describe('omnistack add keeps the user’s lines', () => {
  it('merges package.json by key and .env.example by variable, keeping user entries and their place', async () => {
    const root = await createAt({});
    edit(root, 'package.json', (t) => {
      const pkg = JSON.parse(t);
      pkg.scripts.mine = 'echo mine';
      pkg.dependencies['left-pad'] = '1.3.0';
      return `${JSON.stringify(pkg, null, 2)}\n`;
    });
    edit(root, '.env.example', (t) => `# Mine\nMY_FLAG=1\n\n${t}`);
    const p = change(root, 'add', ['cache', 'redis']);
    expect(p.files.find((f) => f.path === 'package.json')?.action).toBe('merge');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.mine).toBe('echo mine');
    expect(pkg.dependencies['left-pad']).toBe('1.3.0');
    expect(pkg.dependencies.ioredis).toBeDefined();
    const env = readFileSync(join(root, '.env.example'), 'utf8');
    expect(env.startsWith('# Mine\nMY_FLAG=1\n')).toBe(true);
    expect(env).toContain('REDIS_URL=');
  });

  it('keeps a file only the user changed, and line-merges a file both changed in different places', async () => {
    const root = await createAt({});
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    edit(root, 'README.md', (t) => `${t}\nOur team notes.\n`);
    edit(root, 'tsconfig.json', (t) => t.replace('{', '{\n  // mine'));
    const p = change(root, 'add', ['cache', 'redis']);
    expect(p.files.find((f) => f.path === 'README.md')?.action).toBe('merge');
    const after = readFileSync(join(root, 'README.md'), 'utf8');
    expect(after).toContain('Our team notes.');
    expect(after).not.toBe(readme);
    expect(readFileSync(join(root, 'tsconfig.json'), 'utf8')).toContain('// mine');
  });

  it('stops on a conflict without writing, and with markers keeps both sides', async () => {
    const root = await createAt({});
    const envExample = generated({ cache: 'redis' }).get('.env.example') as string;
    expect(envExample).toContain('REDIS_URL');
    // The same lines the change rewrites, changed by the user too.
    const target = 'src/env.ts';
    const text = readFileSync(join(root, target), 'utf8');
    const newText = generated({ cache: 'redis' }).get(target) as string;
    expect(newText).not.toBe(text);
    const changedLine = text.split('\n').find((l) => !newText.includes(l) && l.trim() !== '');
    expect(changedLine, 'a line the change rewrites').toBeDefined();
    edit(root, target, (t) => t.replace(changedLine as string, `${changedLine} // user`));
    const before = snapshot(root);
    const p = plan(root, 'add', ['cache', 'redis']);
    expect(conflictsOf(p).map((f) => f.path)).toContain(target);
    expect(snapshot(root)).toEqual(before);
    applyPlan(p, true);
    const marked = readFileSync(join(root, target), 'utf8');
    expect(marked).toContain(`${changedLine} // user`);
    expect(marked).toMatch(
      /<<<<<<< yours\n(.|\n)*\|\|\|\|\|\|\| create-omnistack (.|\n)*=======\n(.|\n)*>>>>>>> omnistack add cache redis/,
    );
  });
});

describe('omnistack remove and undo', () => {
  it('deletes untouched files of the module, keeps an edited one as a conflict, and undo restores every byte', async () => {
    const root = await createAt({ email: 'smtp' });
    const original = readTree(root);
    const p = plan(root, 'remove', ['email']);
    const deleted = p.files.filter((f) => f.action === 'delete').map((f) => f.path);
    expect(deleted.length).toBeGreaterThan(0);
    applyPlan(p, false);
    for (const path of deleted) expect(existsSync(join(root, path)), path).toBe(false);
    expect(undoLast(root).command).toBe('remove email');
    expect(readTree(root, (rel) => rel.startsWith('.omnistack/history'))).toEqual(original);

    edit(root, deleted[0] as string, (t) => `${t}\n// mine\n`);
    const again = plan(root, 'remove', ['email']);
    expect(conflictsOf(again).map((f) => f.path)).toEqual([deleted[0]]);
  });

  it('refuses to undo over edits made after the change', async () => {
    const root = await createAt({});
    change(root, 'add', ['cache', 'redis']);
    edit(root, 'package.json', (t) => t.replace('"private": true', '"private": false'));
    expect(() => undoLast(root)).toThrow(/changed since omnistack add cache redis(.|\n)*package.json/);
    rmSync(join(root, '.omnistack', 'history'), { recursive: true });
    expect(() => undoLast(root)).toThrow(/Nothing to undo/);
  });
});

describe('a damaged record is refused before anything is read as a base', () => {
  it('names the file and says how to restore it', async () => {
    const root = await createAt({});
    edit(root, STATE_FILE, (t) => t.replace('"base": "', '"base": "x'));
    expect(() => readRecord(root)).toThrow(/files.json was edited/);
    const other = await createAt({});
    edit(other, 'omnistack.json', (t) => t.replace('"cache": "memory"', '"cache": "redis"'));
    expect(() => readRecord(other)).toThrow(/edited by hand/);
    const newer = await createAt({});
    edit(newer, 'omnistack.json', (t) => t.replace(/"version": "[^"]+"/, '"version": "99.0.0"'));
    expect(() => readRecord(newer)).toThrow(/made by create-omnistack 99.0.0, newer than this one/);
    const broken = await createAt({});
    writeFileSync(join(broken, 'omnistack.json'), '{');
    expect(() => readRecord(broken)).toThrow(/omnistack.json is damaged/);
  });
});

describe('omnistack upgrade', () => {
  it('carries the user’s edits to a file the newer version renders at another path', async () => {
    const root = await createAt({});
    // Make the project look rendered by an older version that kept src/lib/openapi.ts at src/openapi.ts.
    const record = JSON.parse(readFileSync(join(root, STATE_FILE), 'utf8')) as Record<string, { base: string }>;
    const base = new Map(Object.entries(record).map(([path, r]) => [path, r.base]));
    const oldText = base.get('src/lib/openapi.ts') as string;
    base.delete('src/lib/openapi.ts');
    base.set('src/openapi.ts', oldText);
    const project = (base.get('omnistack.json') as string).replace(/"version": "[^"]+"/, '"version": "0.0.1"');
    base.set('omnistack.json', project);
    writeFileSync(join(root, 'omnistack.json'), project);
    writeFileSync(join(root, STATE_FILE), recordFiles(base));
    rmSync(join(root, 'src/lib/openapi.ts'));
    writeFileSync(join(root, 'src/openapi.ts'), `// our note\n${oldText}`);

    const from = readRecord(root);
    const p = planUpdate(from, from.answers, { command: 'upgrade', upgrade: true });
    expect(p.files.find((f) => f.path === 'src/lib/openapi.ts')).toMatchObject({ action: 'merge' });
    expect(p.files.find((f) => f.path === 'src/openapi.ts')).toMatchObject({ action: 'delete' });
    applyPlan(p, false);
    expect(readFileSync(join(root, 'src/lib/openapi.ts'), 'utf8')).toBe(`// our note\n${oldText}`);
    expect(existsSync(join(root, 'src/openapi.ts'))).toBe(false);
    expect(JSON.parse(readFileSync(join(root, 'omnistack.json'), 'utf8')).version).not.toBe('0.0.1');
  });

  it('refuses add on a project made by another version until it is upgraded', async () => {
    const root = await createAt({});
    const record = JSON.parse(readFileSync(join(root, STATE_FILE), 'utf8')) as Record<string, { base: string }>;
    const base = new Map(Object.entries(record).map(([path, r]) => [path, r.base]));
    const project = (base.get('omnistack.json') as string).replace(/"version": "[^"]+"/, '"version": "0.0.1"');
    base.set('omnistack.json', project);
    writeFileSync(join(root, 'omnistack.json'), project);
    writeFileSync(join(root, STATE_FILE), recordFiles(base));
    expect(() => plan(root, 'add', ['cache', 'redis'])).toThrow(/made by create-omnistack 0.0.1(.|\n)*/);
  });
});

describe('migrations across several changes', () => {
  it('does not create a table an earlier change left in another shape, and says so', async () => {
    const root = await createAt({});
    change(root, 'add', ['auth', 'jwt']);
    change(root, 'remove', ['auth']);
    change(root, 'remove', ['storage']);
    const p = change(root, 'add', ['storage', 'local']);
    expect(p.files.filter((f) => f.path.endsWith('.sql'))).toEqual([]);
    expect(p.notes.join('\n')).toMatch(/files is already in the database in another shape/);
  });
});

describe('what the review found', () => {
  it('a provider switch never treats the old provider’s edited file as moved: it stays, as a conflict', async () => {
    const root = await createAt({ auth: 'clerk' });
    const clerk = 'src/modules/webhooks/clerk/events.ts';
    edit(root, clerk, (t) => `${t}\n// our organization.created handling\n`);
    const p = plan(root, 'add', ['auth', 'supabase']);
    expect(p.files.find((f) => f.path === clerk)).toMatchObject({ action: 'conflict' });
    applyPlan(p, true);
    expect(readFileSync(join(root, clerk), 'utf8')).toContain('// our organization.created handling');
    const supabase = readFileSync(join(root, 'src/modules/webhooks/supabase/events.ts'), 'utf8');
    expect(supabase).not.toContain('organization.created');
  });

  it('a file the change edits but the user deleted or moved is a conflict with the new lines to apply', async () => {
    const root = await createAt({});
    rmSync(join(root, 'src/deps.ts'));
    const p = plan(root, 'add', ['cache', 'redis']);
    const deps = p.files.find((f) => f.path === 'src/deps.ts');
    expect(deps).toMatchObject({ action: 'conflict', proposed: expect.stringContaining('redis') });
    expect(deps?.after).toBeUndefined();
  });

  it('keeps CRLF line ends: a line-ending difference is not an edit, and merged files are written back with CRLF', async () => {
    const root = await createAt({});
    const toCrlf = (path: string) => edit(root, path, (t) => t.replaceAll('\n', '\r\n'));
    for (const path of ['src/app.ts', 'src/deps.ts', 'package.json', 'README.md']) toCrlf(path);
    edit(root, 'src/app.ts', (t) => `// ours\r\n${t}`);
    const p = plan(root, 'add', ['cache', 'redis']);
    expect(conflictsOf(p)).toEqual([]);
    expect(p.files.find((f) => f.path === 'src/deps.ts')?.action).toBe('update');
    applyPlan(p, false);
    const app = readFileSync(join(root, 'src/app.ts'), 'utf8');
    expect(app.startsWith('// ours\r\n')).toBe(true);
    expect(app.replaceAll('\r\n', '')).not.toContain('\n');
    expect(readFileSync(join(root, 'src/deps.ts'), 'utf8').replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('never merges or rewrites a file that is not UTF-8, and undo restores its bytes', async () => {
    const root = await createAt({});
    const bytes = Buffer.concat([readFileSync(join(root, 'README.md')), Buffer.from([0x43, 0xe9, 0x00, 0xff, 0x0a])]);
    writeFileSync(join(root, 'README.md'), bytes);
    const p = plan(root, 'add', ['cache', 'redis']);
    expect(p.files.find((f) => f.path === 'README.md')).toMatchObject({ action: 'conflict' });
    applyPlan(p, true);
    expect(readFileSync(join(root, 'README.md')).equals(bytes)).toBe(true);
  });

  it('refuses a record naming a path outside the project', async () => {
    const root = await createAt({});
    const record = JSON.parse(readFileSync(join(root, STATE_FILE), 'utf8')) as Record<string, { base: string }>;
    const base = new Map(Object.entries(record).map(([path, r]) => [path, r.base]));
    base.set('../victim.txt', 'precious\n');
    writeFileSync(join(root, STATE_FILE), recordFiles(base));
    expect(() => readRecord(root)).toThrow(/names a path outside the project: "..\/victim.txt"/);
  });

  it('refuses a hand-edited project name or a version that is not one', async () => {
    const root = await createAt({});
    edit(root, 'omnistack.json', (t) => t.replace('"name": "app"', '"name": "other"'));
    expect(() => readRecord(root)).toThrow(/omnistack.json was edited by hand/);
    edit(root, 'omnistack.json', (t) => t.replace(/"version": "[^"]+"/, '"version": "banana"'));
    expect(() => readRecord(root)).toThrow(/"banana" is not a version/);
  });

  it('keeps a symlinked .env a symlink, and file modes as they were', async () => {
    const root = await createAt({});
    const shared = join(root, '..', 'shared.env');
    writeFileSync(shared, readFileSync(join(root, '.env')));
    rmSync(join(root, '.env'));
    symlinkSync(shared, join(root, '.env'));
    chmodSync(join(root, 'package.json'), 0o640);
    change(root, 'add', ['cache', 'redis']);
    expect(lstatSync(join(root, '.env')).isSymbolicLink()).toBe(true);
    expect(readFileSync(shared, 'utf8')).toContain('REDIS_URL=');
    expect(statSync(join(root, 'package.json')).mode & 0o777).toBe(0o640);
  });

  it('refuses, before writing anything, a target that sits under a file', async () => {
    const root = await createAt({ cache: 'redis' });
    writeFileSync(join(root, 'src/jobs'), 'not a folder');
    const before = snapshot(root);
    expect(() => change(root, 'add', ['jobs', 'bullmq'])).toThrow(
      /Cannot write src\/jobs\/.*: src\/jobs is a file. Nothing was changed/,
    );
    expect(snapshot(root)).toEqual(before);
    expect(() => undoLast(root)).toThrow(/Nothing to undo/);
  });

  it('undo keeps lines the user appended to .env after the change', async () => {
    const root = await createAt({});
    const envBefore = readFileSync(join(root, '.env'), 'utf8');
    change(root, 'add', ['cache', 'redis']);
    writeFileSync(join(root, '.env'), `${readFileSync(join(root, '.env'), 'utf8')}MY_SECRET=kept\n`);
    undoLast(root);
    expect(readFileSync(join(root, '.env'), 'utf8')).toBe(`${envBefore}MY_SECRET=kept\n`);
  });

  it('keeps the user’s JSON indentation, and says which .env value no longer fits after a database switch', async () => {
    const root = await createAt({});
    edit(root, 'package.json', (t) => JSON.stringify({ ...JSON.parse(t), mine: true }, null, 4));
    const p = change(root, 'add', ['db', 'postgres']);
    expect(readFileSync(join(root, 'package.json'), 'utf8')).toMatch(/^\{\n {4}"name"/);
    expect(p.notes.join('\n')).toMatch(/DATABASE_URL in .env still holds the old example/);
    expect(p.notes.join('\n')).toMatch(/data is not moved/);
  });

  it('refuses a dimension named twice in one change', async () => {
    const root = await createAt({});
    expect(() => plan(root, 'add', ['storage', 's3', 'storage', 'r2'])).toThrow(/storage is named twice/);
  });
});

describe('the undo history', () => {
  it('keeps the last 10 changes, so old copies of .env do not pile up', async () => {
    const root = await createAt({});
    for (let i = 0; i < 6; i++) {
      change(root, 'add', ['cache', 'redis']);
      change(root, 'remove', ['storage']);
      undoLast(root);
      change(root, 'add', ['cache', 'memory']);
    }
    const kept = readdirSync(join(root, '.omnistack/history'));
    expect(kept).toHaveLength(10);
    expect(kept.at(0)).toMatch(/^0003-/);
    expect(kept.at(-1)).toMatch(/^0012-/);
  });
});
