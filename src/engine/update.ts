/**
 * `omnistack add / remove / upgrade`: the same compose as `create`, then a three-way merge per file
 * with base = the recorded render (.omnistack/files.json), ours = the new render, theirs = the disk.
 * Pure: reads the project, writes nothing (see history.ts for applying a plan).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../choices.js';
import type { EnvVar } from '../modules/types.js';
import { activeModules, CLI_SPEC_ENV, compose, freshEnvValue, TOOL_PACKAGE } from './compose.js';
import { UsageError } from './errors.js';
import { type Labels, mergeFile } from './merge.js';
import { MIGRATIONS_DIR, migrationChange } from './migrations.js';
import type { ProjectRecord } from './record.js';
import { recordFiles, STATE_FILE, toolVersion } from './state.js';

export type FileAction = 'create' | 'update' | 'merge' | 'conflict' | 'delete' | 'keep';

export interface FileChange {
  path: string;
  action: FileAction;
  /** The file on disk now (undefined: none). */
  before?: string;
  /** What the file becomes (undefined: deleted, or left as it is for `keep`). */
  after?: string;
  /** Why a file is kept or in conflict, for people. */
  reason?: string;
  /** Readable by its owner only (the .env): its values are never printed. */
  secret?: true;
  /** The new render of a conflict that writes nothing (the user deleted the file): shown, not written. */
  proposed?: string;
}

export interface UpdatePlan {
  root: string;
  /** `add storage s3`, `upgrade`, ...: names the change in conflict markers and the history. */
  command: string;
  from: ProjectRecord;
  answers: Answers;
  /** Every file that changes or needs a decision, in path order; untouched files are not listed. */
  files: FileChange[];
  /** Files the change leaves exactly as they are. */
  unchanged: number;
  /** What the change did not do, and why (tables left in the database, ...). */
  notes: string[];
}

export const ENV_FILE = '.env';

/** A file on disk as the merge sees it: text with `\n` line ends, and how to write it back. */
interface DiskFile {
  text: string;
  /** Written with `\r\n` (a Windows checkout): compared and merged as `\n`, written back as `\r\n`. */
  crlf: boolean;
  /** Not UTF-8 text: never merged or rewritten. */
  binary: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const readDisk = (root: string, path: string): DiskFile | undefined => {
  const abs = join(root, path);
  if (!existsSync(abs) || !statSync(abs).isFile()) return undefined;
  try {
    const raw = utf8.decode(readFileSync(abs));
    const crlf = raw.includes('\r\n');
    return { text: crlf ? raw.replaceAll('\r\n', '\n') : raw, crlf, binary: false };
  } catch {
    return { text: '', crlf: false, binary: true };
  }
};

/** The text to write for a file that is `disk` now: its own line ends kept. */
const asOnDisk = (text: string | undefined, disk: DiskFile | undefined): string | undefined =>
  text !== undefined && disk?.crlf ? text.replaceAll('\n', '\r\n') : text;

const tableSets = (a: Answers): string[] => activeModules(a).flatMap((m) => m.tables?.(a) ?? []);

/** The project's `create-omnistack` devDependency as recorded, so `add` keeps the spec the user has. */
const recordedCliSpec = (from: ProjectRecord): string | undefined => {
  const pkg = from.base.get('package.json');
  if (!pkg) return undefined;
  return (JSON.parse(pkg) as { devDependencies?: Record<string, string> }).devDependencies?.[TOOL_PACKAGE];
};

/** One file: base (last render), ours (new render), theirs (disk). Undefined when nothing happens to it. */
const decide = (
  path: string,
  base: string | undefined,
  ours: string | undefined,
  disk: DiskFile | undefined,
  labels: Labels,
): FileChange | undefined => {
  if (disk?.binary) {
    if (ours === base) return undefined;
    return { path, action: 'conflict', reason: 'not UTF-8 text, so not merged: the change to it is left to you' };
  }
  const change = decideText(path, base, ours, disk?.text, labels);
  return change && { ...change, before: disk?.text, after: asOnDisk(change.after, disk) };
};

const decideText = (
  path: string,
  base: string | undefined,
  ours: string | undefined,
  theirs: string | undefined,
  labels: Labels,
): FileChange | undefined => {
  if (theirs === ours) return undefined;
  if (ours === undefined) {
    if (theirs === base) return { path, action: 'delete', before: theirs };
    return {
      path,
      action: 'conflict',
      before: theirs,
      reason: 'you edited it, and the change removes it: it stays, no longer part of the generated project',
    };
  }
  if (theirs === undefined) {
    if (base === undefined) return { path, action: 'create', after: ours };
    if (base === ours) return undefined;
    return {
      path,
      action: 'conflict',
      proposed: ours,
      reason:
        'you deleted or moved it, and the change edits it: apply its lines where the file is now (--dry-run shows them)',
    };
  }
  if (theirs === base) return { path, action: 'update', before: theirs, after: ours };
  if (ours === base) return { path, action: 'keep', before: theirs, reason: 'only you changed it' };
  const merged = mergeFile(path, base ?? '', ours, theirs, labels);
  if (merged.conflicts === 0) return { path, action: 'merge', before: theirs, after: merged.text };
  return {
    path,
    action: 'conflict',
    before: theirs,
    after: merged.text,
    reason: `${merged.conflicts} region(s) changed by you and by the change`,
  };
};

/** A file the user edited at `old`, which the new render writes at `path`: their edits move with it. */
const decideMove = (
  path: string,
  old: string,
  base: string,
  ours: string,
  theirs: string,
  labels: Labels,
): FileChange => {
  const merged = ours === base ? { text: theirs, conflicts: 0 } : mergeFile(path, base, ours, theirs, labels);
  return merged.conflicts
    ? { path, action: 'conflict', after: merged.text, reason: `moved from ${old}; changed by you and by the change` }
    : { path, action: 'merge', after: merged.text, reason: `moved from ${old}, with your edits` };
};

/** Share of `a`'s lines that `b` has too: how alike two renders of a file are. */
const likeness = (a: string, b: string): number => {
  const lines = new Set(b.split('\n'));
  const own = a.split('\n');
  return own.filter((l) => lines.has(l)).length / Math.max(own.length, 1);
};

/**
 * Files a newer version renders at another path (upgrade): new path -> old path, for each file the
 * user edited at a path the new render drops, matched to the most alike new file (same name first).
 * The edits then merge into the file at its new place instead of staying behind in the old one.
 */
const movedFiles = (
  base: ReadonlyMap<string, string>,
  ours: ReadonlyMap<string, string>,
  read: (path: string) => DiskFile | undefined,
): Map<string, string> => {
  const moves = new Map<string, string>();
  const name = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const added = [...ours.keys()].filter((p) => !base.has(p) && read(p) === undefined);
  for (const [old, text] of base) {
    const theirs = read(old);
    if (ours.has(old) || theirs === undefined || theirs.binary || theirs.text === text) continue;
    const best = added
      .filter((p) => !moves.has(p))
      .map((p) => ({ p, score: likeness(text, ours.get(p) ?? '') + (name(p) === name(old) ? 0.5 : 0) }))
      .sort((x, y) => y.score - x.score)[0];
    if (best && best.score >= 0.75) moves.set(best.p, old);
  }
  return moves;
};

/** `KEY=value` lines of a .env, by key. */
const envValues = (text: string): Map<string, string> =>
  new Map([...text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1] as string, m[2] as string]));

/**
 * The local .env after the change: new variables appended with fresh secrets, existing lines as they
 * are. A variable both sides have whose documented value changed (DATABASE_URL from a SQLite path to a
 * postgres:// URL) and that still holds the old example gets a note: the app will refuse it.
 */
const envChange = (
  root: string,
  from: Answers,
  to: Answers,
  command: string,
): { change?: FileChange; notes: string[] } => {
  const disk = readDisk(root, ENV_FILE);
  if (disk === undefined || disk.binary) return { notes: [] };
  const values = envValues(disk.text);
  const had = new Map(
    activeModules(from)
      .flatMap((m): EnvVar[] => m.env ?? [])
      .map((v) => [v.name, v]),
  );
  const now = activeModules(to).flatMap((m): EnvVar[] => m.env ?? []);
  const notes = now
    .filter((v) => {
      const old = had.get(v.name);
      return old !== undefined && old.example !== v.example && values.get(v.name) === old.example;
    })
    .map(
      (v) =>
        `${v.name} in .env still holds the old example (${values.get(v.name)}); set it for the change, e.g. ${v.example}`,
    );
  const added = now.filter((v) => !had.has(v.name) && !values.has(v.name));
  if (added.length === 0) return { notes };
  const lines = added.map((v) => `# ${v.description}\n${v.name}=${freshEnvValue(v)}\n`).join('\n');
  const sep = disk.text.endsWith('\n') || disk.text === '' ? '' : '\n';
  const after = `${disk.text}${sep}\n# Added by omnistack ${command}\n${lines}`;
  return {
    change: { path: ENV_FILE, action: 'update', before: disk.text, after: asOnDisk(after, disk), secret: true },
    notes,
  };
};

export interface PlanOptions {
  command: string;
  /** Re-render with this version's templates (otherwise the project must be on this version). */
  upgrade?: boolean;
  now?: number;
}

export const planUpdate = (from: ProjectRecord, answers: Answers, o: PlanOptions): UpdatePlan => {
  if (!o.upgrade && from.version !== toolVersion())
    throw new UsageError(
      `This project was made by create-omnistack ${from.version}; this is ${toolVersion()}.`,
      'bring it to this version first with omnistack upgrade, then change its modules',
    );
  const cliSpec = process.env[CLI_SPEC_ENV] ?? (o.upgrade ? undefined : recordedCliSpec(from));
  const ours = compose({
    name: from.name,
    answers,
    pm: from.packageManager,
    ...(cliSpec ? { cliSpec } : {}),
  });
  ours.delete(STATE_FILE);
  const read = (path: string) => readDisk(from.root, path);
  const readText = (path: string) => read(path)?.text;
  // The migration history is append-only: files are added after what is there, never re-rendered.
  // A switch of database starts another dialect's history, so then the files merge like any other.
  const history = answers.db === from.answers.db;
  const isMigration = (path: string) => history && path.startsWith(`${MIGRATIONS_DIR}/`);
  const migration = history
    ? migrationChange(readText, tableSets(from.answers), tableSets(answers), answers.db, o.now ?? Date.now())
    : { files: new Map<string, string>(), notes: [] };
  const labels: Labels = {
    theirs: 'yours',
    base: `create-omnistack ${from.version}`,
    ours: `omnistack ${o.command}`,
  };
  const paths = [...new Set([...ours.keys(), ...from.base.keys()])].filter((p) => p !== STATE_FILE && !isMigration(p));
  // Only a newer version moves files; a change of modules that drops one file and adds another is not a move.
  const moved = o.upgrade ? movedFiles(from.base, ours, read) : new Map<string, string>();
  const files: FileChange[] = [];
  let unchanged = 0;
  for (const path of paths) {
    const source = moved.get(path);
    const change = source
      ? decideMove(path, source, from.base.get(source) ?? '', ours.get(path) ?? '', read(source)?.text ?? '', labels)
      : [...moved.values()].includes(path)
        ? { path, action: 'delete' as const, before: read(path)?.text, reason: 'moved; your edits go with it' }
        : decide(path, from.base.get(path), ours.get(path), read(path), labels);
    if (change) files.push(change);
    else unchanged++;
  }
  for (const [path, text] of migration.files) {
    const disk = read(path);
    if (disk?.text === text) continue;
    const action = disk === undefined ? 'create' : disk.text === from.base.get(path) ? 'update' : 'merge';
    files.push({ path, action, before: disk?.text, after: asOnDisk(text, disk) });
  }
  // What create-omnistack wrote, as the base of the next change: the new render, the migration history kept.
  const record = new Map(ours);
  for (const [path, text] of from.base) if (isMigration(path)) record.set(path, text);
  for (const [path, text] of migration.files) record.set(path, text);
  for (const f of files)
    if (f.action === 'delete' || (f.action === 'conflict' && !ours.has(f.path))) record.delete(f.path);
  const recordText = recordFiles(record);
  if (recordText !== readText(STATE_FILE))
    files.push({ path: STATE_FILE, action: 'update', before: readText(STATE_FILE), after: recordText });
  const env = envChange(from.root, from.answers, answers, o.command);
  if (env.change) files.push(env.change);
  const notes = [...migration.notes, ...env.notes];
  if (!history)
    notes.push(
      `the database changes from ${from.answers.db} to ${answers.db}: data is not moved, and migrations written for ${from.answers.db} do not apply to ${answers.db}`,
    );
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { root: from.root, command: o.command, from, answers, files, unchanged, notes };
};

/** Whether applying the plan writes or deletes this file (a conflict is written only with markers). */
export const isWritten = (f: FileChange, markers: boolean): boolean =>
  f.action === 'delete' ||
  (f.after !== undefined && f.after !== f.before && f.action !== 'keep' && (f.action !== 'conflict' || markers));

/** Counts per action, for summaries. */
export const countActions = (plan: UpdatePlan): Record<FileAction | 'unchanged', number> => {
  const counts = { create: 0, update: 0, merge: 0, conflict: 0, delete: 0, keep: 0, unchanged: plan.unchanged };
  for (const f of plan.files) counts[f.action]++;
  return counts;
};

export const conflictsOf = (plan: UpdatePlan): FileChange[] => plan.files.filter((f) => f.action === 'conflict');
