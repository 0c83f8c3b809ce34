/**
 * Applying a change plan all or nothing, with a history entry `omnistack undo` restores.
 *
 * New contents are staged inside `.omnistack/`, every file about to change is copied byte for byte
 * into the history entry, then the staged files are moved into place and deleted files removed. The
 * moves are synchronous, so no signal lands between two of them; if one fails, everything is put back
 * from the entry. An entry is marked complete only after the last move, so one a crash left behind
 * is still restored by undo. The history holds copies of `.env`: owner-only and git-ignored.
 */
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { alive } from './apply.js';
import { RunError, UsageError } from './errors.js';
import { insideProject } from './record.js';
import { sha256 } from './state.js';
import { type FileChange, isWritten, type UpdatePlan } from './update.js';

export const HISTORY_DIR = '.omnistack/history';
const OMNISTACK_DIR = '.omnistack';

interface EntryFile {
  path: string;
  /** The file existed before the change (its bytes are under `before/`, its mode here). */
  existed: boolean;
  mode?: number;
  /** sha256 of what the change left there; null when it deleted the file. */
  after: string | null;
}

export interface HistoryEntry {
  command: string;
  at: string;
  /** False until every file is in place: an entry a crash left incomplete is restored without questions. */
  complete: boolean;
  files: EntryFile[];
}

const write = (abs: string, text: string, mode?: number): void => {
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text, mode ? { mode } : {});
  if (mode) chmodSync(abs, mode); // writeFileSync's mode only applies to a new file
};

/**
 * One change at a time per project: `.omnistack/lock` holds the pid of the run applying. A lock whose
 * process is gone (killed) is taken over, and its staging folder removed.
 */
const lock = (root: string): (() => void) => {
  const file = join(root, OMNISTACK_DIR, 'lock');
  mkdirSync(dirname(file), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new RunError(`Another omnistack change is running in this project (pid ${pid}).`, 'wait for it to end');
      rmSync(join(root, OMNISTACK_DIR, `staging-${pid}`), { recursive: true, force: true });
      rmSync(file, { force: true });
    }
  }
};

const entries = (root: string): string[] => {
  const dir = join(root, HISTORY_DIR);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};

/** Changes undo can still take back, newest last; older entries go (they hold old copies of `.env`). */
const KEPT_ENTRIES = 10;

const pruneHistory = (root: string): void => {
  for (const old of entries(root).slice(0, -KEPT_ENTRIES)) rmSync(join(root, HISTORY_DIR, old), { recursive: true });
};

/** Folders a deletion emptied (a removed module's `src/jobs/`), up to the project root. */
const removeEmptyParents = (root: string, dir: string): void => {
  for (let d = dir; d.startsWith(`${root}/`) && existsSync(d) && readdirSync(d).length === 0; d = dirname(d))
    rmdirSync(d);
};

/** Puts every file of an entry back as it was before the change; keeps going past a failure and reports them all. */
const restore = (root: string, entryDir: string, files: readonly EntryFile[]): void => {
  const failed: string[] = [];
  for (const f of files) {
    const abs = join(root, f.path);
    try {
      if (f.existed) {
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, readFileSync(join(entryDir, 'before', f.path)));
        if (f.mode !== undefined) chmodSync(abs, f.mode);
      } else if (existsSync(abs) && !statSync(abs).isDirectory()) {
        unlinkSync(abs);
        removeEmptyParents(root, dirname(abs));
      }
    } catch (err) {
      failed.push(`${f.path}: ${(err as Error).message}`);
    }
  }
  if (failed.length)
    throw new RunError(
      `Could not put back ${failed.length} file(s):\n  ${failed.join('\n  ')}`,
      `their earlier versions are in ${entryDir}/before`,
    );
};

/** Refuses, before anything is written, a target that is a folder or sits under a file. */
const preflight = (root: string, changes: readonly FileChange[]): void => {
  for (const f of changes) {
    if (f.action === 'delete') continue;
    for (let d = join(root, f.path); d.startsWith(`${root}/`); d = dirname(d)) {
      if (!existsSync(d)) continue;
      const isTarget = d === join(root, f.path);
      if (isTarget ? statSync(d).isDirectory() : !statSync(d).isDirectory())
        throw new RunError(
          `Cannot write ${f.path}: ${d.slice(root.length + 1)} is ${isTarget ? 'a folder' : 'a file'}. Nothing was changed.`,
          'move it out of the way, then run the command again',
        );
    }
  }
};

/** Moves one staged file into place, keeping a symlink (written through) and the file's mode. */
const place = (staged: string, target: string): void => {
  const old = existsSync(target) ? lstatSync(target) : undefined;
  if (old?.isSymbolicLink()) {
    writeFileSync(target, readFileSync(staged));
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  renameSync(staged, target);
  if (old) chmodSync(target, old.mode & 0o7777);
};

/** Writes the plan's files (conflicts with markers when `markers`); returns the history entry's folder. */
export const applyPlan = (plan: UpdatePlan, markers: boolean): string => {
  const { root } = plan;
  const changes = plan.files.filter((f) => isWritten(f, markers));
  preflight(root, changes);
  const unlock = lock(root);
  const staging = join(root, OMNISTACK_DIR, `staging-${process.pid}`);
  const next = Number(entries(root).at(-1)?.slice(0, 4) ?? 0) + 1;
  const entryDir = join(root, HISTORY_DIR, `${String(next).padStart(4, '0')}-${Date.now()}`);
  const files: EntryFile[] = changes.map((f) => {
    const abs = join(root, f.path);
    const existed = existsSync(abs);
    return {
      path: f.path,
      existed,
      ...(existed ? { mode: statSync(abs).mode & 0o7777 } : {}),
      after: f.action === 'delete' || f.after === undefined ? null : sha256(f.after),
    };
  });
  const entry: HistoryEntry = { command: plan.command, at: new Date().toISOString(), complete: false, files };
  const saveEntry = () => write(join(entryDir, 'entry.json'), `${JSON.stringify(entry, null, 2)}\n`, 0o600);
  try {
    for (const f of changes)
      if (f.after !== undefined) write(join(staging, f.path), f.after, f.secret ? 0o600 : undefined);
    mkdirSync(join(entryDir, 'before'), { recursive: true, mode: 0o700 });
    for (const f of files) {
      if (!f.existed) continue;
      mkdirSync(dirname(join(entryDir, 'before', f.path)), { recursive: true, mode: 0o700 });
      copyFileSync(join(root, f.path), join(entryDir, 'before', f.path));
      chmodSync(join(entryDir, 'before', f.path), 0o600);
    }
    // The .env a user keeps filling after the change: undo takes out only what the change appended.
    for (const f of changes)
      if (f.secret && f.after !== undefined) write(join(entryDir, 'after', f.path), f.after, 0o600);
    saveEntry();
    try {
      for (const f of changes) {
        const target = join(root, f.path);
        if (f.action === 'delete') {
          unlinkSync(target);
          removeEmptyParents(root, dirname(target));
        } else place(join(staging, f.path), target);
      }
    } catch (err) {
      restore(root, entryDir, files);
      rmSync(entryDir, { recursive: true, force: true });
      throw new RunError(`${(err as Error).message}. Nothing was changed: every file was put back.`);
    }
    entry.complete = true;
    saveEntry();
    pruneHistory(root);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    unlock();
  }
  return entryDir;
};

const readEntry = (entryDir: string): HistoryEntry => {
  let entry: HistoryEntry;
  try {
    entry = JSON.parse(readFileSync(join(entryDir, 'entry.json'), 'utf8')) as HistoryEntry;
  } catch (err) {
    throw new UsageError(
      `The history entry ${entryDir} is damaged: ${(err as Error).message}`,
      'restore the files with git instead',
    );
  }
  const outside = entry.files?.find((f) => !insideProject(f.path));
  if (!Array.isArray(entry.files) || outside)
    throw new UsageError(`The history entry ${entryDir} names a file outside the project.`, 'delete that entry');
  return entry;
};

/**
 * The text a file must have for undo to take the change back without losing anything: what the change
 * wrote. For the .env, lines the user appended since are allowed and kept.
 */
const undoable = (root: string, entryDir: string, f: EntryFile): boolean => {
  const abs = join(root, f.path);
  const now = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
  if ((now === undefined ? null : sha256(now)) === f.after) return true;
  const written = join(entryDir, 'after', f.path);
  return now !== undefined && existsSync(written) && now.startsWith(readFileSync(written, 'utf8'));
};

/** The last change, put back; refused when a file it wrote was edited since (undo would lose that edit). */
export const undoLast = (root: string): HistoryEntry => {
  const last = entries(root).at(-1);
  if (!last) throw new UsageError('Nothing to undo: no omnistack add, remove or upgrade was applied here.');
  const entryDir = join(root, HISTORY_DIR, last);
  const entry = readEntry(entryDir);
  const edited = entry.complete ? entry.files.filter((f) => !undoable(root, entryDir, f)) : [];
  if (edited.length)
    throw new UsageError(
      `Files changed since omnistack ${entry.command}; undo would lose those edits:\n  ${edited.map((f) => f.path).join('\n  ')}`,
      'commit or copy them, restore what the change wrote, then undo (or restore with git)',
    );
  // Lines appended to the .env after the change survive the undo.
  const kept = entry.files.flatMap((f) => {
    const written = join(entryDir, 'after', f.path);
    if (!existsSync(written) || !existsSync(join(root, f.path))) return [];
    const extra = readFileSync(join(root, f.path), 'utf8').slice(readFileSync(written, 'utf8').length);
    return extra ? [{ path: f.path, extra }] : [];
  });
  restore(root, entryDir, entry.files);
  for (const k of kept) writeFileSync(join(root, k.path), `${readFileSync(join(root, k.path), 'utf8')}${k.extra}`);
  rmSync(entryDir, { recursive: true, force: true });
  return entry;
};
