/**
 * Projects on disk for the `changes` check: created the way `create` writes them, read back as
 * trees, and compared with the exceptions src/matrix/README.md lists (the local .env, the undo
 * history, the append-only migration history).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Answers } from '../choices.js';
import { apply } from '../engine/apply.js';
import { CLI_SPEC_ENV, compose, localEnv, type Project } from '../engine/compose.js';
import { HISTORY_DIR } from '../engine/history.js';
import { MIGRATIONS_DIR } from '../engine/migrations.js';
import { planCreate } from '../engine/plan.js';
import { STATE_FILE } from '../engine/state.js';
import type { Tree } from '../engine/tree.js';
import { ENV_FILE } from '../engine/update.js';
import { answersKey } from './space.js';

export const APP_NAME = 'matrix-app';

const project = (answers: Answers): Project => {
  const cliSpec = process.env[CLI_SPEC_ENV];
  return { name: APP_NAME, answers, ...(cliSpec ? { cliSpec } : {}) };
};

const composed = new Map<string, Tree>();
/** What create renders for `answers`, composed once per combination. */
export const rendered = (answers: Answers): Tree => {
  const key = answersKey(answers);
  let tree = composed.get(key);
  if (!tree) {
    tree = compose(project(answers));
    composed.set(key, tree);
  }
  return tree;
};

/** `create` into `root` (which must not exist): the rendered tree plus a local .env with fresh secrets. */
export const createProject = async (root: string, answers: Answers): Promise<void> => {
  await apply(planCreate(rendered(answers), root, false, new Map([[ENV_FILE, localEnv(project(answers))]])));
};

/** Every file under `root` but the undo history, path -> text. */
export const readTree = (root: string): Tree => {
  const tree: Tree = new Map();
  const history = join(root, HISTORY_DIR);
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = join(dir, e.name);
      if (abs === history) continue;
      if (e.isDirectory()) walk(abs);
      else tree.set(relative(root, abs).split(sep).join('/'), readFileSync(abs, 'utf8'));
    }
  };
  walk(root);
  return tree;
};

/** Left-over history entries (there should be none once every change is undone). */
export const historyEntries = (root: string): string[] => {
  const dir = join(root, HISTORY_DIR);
  return existsSync(dir) ? readdirSync(dir) : [];
};

export const fileMode = (root: string, path: string): number => statSync(join(root, path)).mode & 0o777;

/** The migration history: SQL files and drizzle's meta folder (not the folder's README). */
export const isMigrationHistory = (path: string): boolean =>
  path.startsWith(`${MIGRATIONS_DIR}/meta/`) || (path.startsWith(`${MIGRATIONS_DIR}/`) && path.endsWith('.sql'));

const firstDifference = (actual: string, expected: string): string => {
  const [a, e] = [actual.split('\n'), expected.split('\n')];
  const i = a.findIndex((line, n) => line !== e[n]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: expected ${JSON.stringify(e[at] ?? '<end of file>')}, got ${JSON.stringify(a[at] ?? '<end of file>')}`;
};

/** Where two trees differ, path by path, leaving out the paths `skip` names. */
export const treeDiff = (actual: Tree, expected: Tree, skip: (path: string) => boolean = () => false): string[] => {
  const out: string[] = [];
  for (const [path, text] of expected) {
    if (skip(path)) continue;
    const got = actual.get(path);
    if (got === undefined) out.push(`${path}: missing`);
    else if (got !== text) out.push(`${path}: ${firstDifference(got, text)}`);
  }
  for (const path of actual.keys()) if (!skip(path) && !expected.has(path)) out.push(`${path}: not expected`);
  return out;
};

const envKeys = (text: string): string[] =>
  [...text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1] as string);

/** The local .env only grows: `before` stays as it is, and exactly the variables `want` lacks were added, once each. */
export const envProblems = (after: string | undefined, before: string | undefined, want: string): string[] => {
  if (before === undefined) return after === undefined ? [] : [`${ENV_FILE}: appeared`];
  if (after === undefined) return [`${ENV_FILE}: gone`];
  if (!after.startsWith(before)) return [`${ENV_FILE}: the lines it had were changed`];
  const keys = envKeys(after);
  const expected = [...new Set([...envKeys(before), ...envKeys(want)])].sort();
  const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
  const out = twice.length ? [`${ENV_FILE}: ${twice.join(', ')} twice`] : [];
  if ([...new Set(keys)].sort().join() !== expected.join())
    out.push(`${ENV_FILE}: has [${[...new Set(keys)].sort().join(', ')}], expected [${expected.join(', ')}]`);
  return out;
};

type Record_ = Record<string, { sha256: string; base: string }>;

/**
 * `.omnistack/files.json`: every entry but the migration history's equals `expected`'s; the history's
 * entries are exactly the history files on disk, as they are there (the base of the next change).
 */
export const recordProblems = (actual: Tree, expected: Tree): string[] => {
  const [a, e] = [actual, expected].map((t) => JSON.parse(t.get(STATE_FILE) ?? '{}') as Record_) as [Record_, Record_];
  const part = (r: Record_, history: boolean) =>
    JSON.stringify(Object.entries(r).filter(([path]) => isMigrationHistory(path) === history));
  const out: string[] = [];
  if (part(a, false) !== part(e, false)) {
    const paths = new Set([...Object.keys(a), ...Object.keys(e)].filter((p) => !isMigrationHistory(p)));
    const differ = [...paths].filter((p) => JSON.stringify(a[p]) !== JSON.stringify(e[p]));
    out.push(`${STATE_FILE}: records other files than create does: ${differ.join(', ')}`);
  }
  const recorded = Object.keys(a).filter(isMigrationHistory).sort();
  const onDisk = [...actual.keys()].filter(isMigrationHistory).sort();
  if (recorded.join() !== onDisk.join())
    out.push(`${STATE_FILE}: records migrations [${recorded.join(', ')}], on disk [${onDisk.join(', ')}]`);
  for (const path of recorded)
    if (a[path]?.base !== actual.get(path)) out.push(`${STATE_FILE}: the record of ${path} is not the file on disk`);
  return out;
};
