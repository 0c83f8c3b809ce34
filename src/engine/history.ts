/**
 * Applying a change plan all or nothing, with a history entry `omnistack undo` restores.
 *
 * New contents are staged inside `.omnistack/`, every file about to change is copied into the
 * history entry, then the staged files are moved into place and deleted files removed. The moves are
 * synchronous, so no signal lands between two of them; if one fails, everything is put back from the
 * entry. The history holds copies of `.env`, so it is owner-only and git-ignored.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './errors.js';
import { sha256 } from './state.js';
import type { UpdatePlan } from './update.js';

export const HISTORY_DIR = '.omnistack/history';
const STAGING_PREFIX = '.omnistack/staging-';

interface EntryFile {
  path: string;
  /** The file existed before the change (its copy is under `before/`). */
  existed: boolean;
  /** sha256 of what the change left there; null when it deleted the file. */
  after: string | null;
}

export interface HistoryEntry {
  command: string;
  at: string;
  files: EntryFile[];
}

const write = (abs: string, text: string, mode?: number): void => {
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text, mode ? { mode } : {});
  if (mode) chmodSync(abs, mode); // writeFileSync's mode only applies to a new file
};

/** Staging folders of runs killed with SIGKILL (their moves never started, or the history restores them). */
const removeStaleStaging = (root: string): void => {
  const dir = join(root, dirname(STAGING_PREFIX));
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('staging-')) rmSync(join(dir, name), { recursive: true, force: true });
  }
};

/** Folders a deletion emptied (a removed module's `src/jobs/`), up to the project root. */
const removeEmptyParents = (root: string, dir: string): void => {
  for (let d = dir; d.startsWith(`${root}/`) && existsSync(d) && readdirSync(d).length === 0; d = dirname(d))
    rmdirSync(d);
};

const entries = (root: string): string[] => {
  const dir = join(root, HISTORY_DIR);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};

/** Puts every file of an entry back as it was before the change. */
const restore = (root: string, entryDir: string, files: readonly EntryFile[]): void => {
  for (const f of files) {
    const abs = join(root, f.path);
    if (f.existed) {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, readFileSync(join(entryDir, 'before', f.path)));
    } else {
      rmSync(abs, { force: true });
      removeEmptyParents(root, dirname(abs));
    }
  }
};

/** Writes the plan's files (conflicts with markers when `markers`); returns the history entry's folder. */
export const applyPlan = (plan: UpdatePlan, markers: boolean): string => {
  const { root } = plan;
  removeStaleStaging(root);
  const changes = plan.files.filter(
    (f) => f.action !== 'keep' && (f.action !== 'conflict' || markers) && f.after !== f.before,
  );
  const staging = join(root, `${STAGING_PREFIX}${process.pid}`);
  const entryDir = join(root, HISTORY_DIR, `${String(entries(root).length + 1).padStart(4, '0')}-${Date.now()}`);
  const files: EntryFile[] = changes.map((f) => ({
    path: f.path,
    existed: f.before !== undefined,
    after: f.after === undefined ? null : sha256(f.after),
  }));
  try {
    for (const f of changes)
      if (f.after !== undefined) write(join(staging, f.path), f.after, f.secret ? 0o600 : undefined);
    mkdirSync(entryDir, { recursive: true, mode: 0o700 });
    for (const f of changes) if (f.before !== undefined) write(join(entryDir, 'before', f.path), f.before, 0o600);
    const entry: HistoryEntry = { command: plan.command, at: new Date().toISOString(), files };
    write(join(entryDir, 'entry.json'), `${JSON.stringify(entry, null, 2)}\n`, 0o600);
    try {
      for (const f of changes) {
        const target = join(root, f.path);
        if (f.after === undefined) {
          unlinkSync(target);
          removeEmptyParents(root, dirname(target));
        } else {
          mkdirSync(dirname(target), { recursive: true });
          renameSync(join(staging, f.path), target);
        }
      }
    } catch (err) {
      restore(root, entryDir, files);
      rmSync(entryDir, { recursive: true, force: true });
      throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return entryDir;
};

/** The last change, put back; refused when a file it wrote was edited since (undo would lose that edit). */
export const undoLast = (root: string): HistoryEntry => {
  const last = entries(root).at(-1);
  if (!last) throw new UsageError('Nothing to undo: no omnistack add, remove or upgrade was applied here.');
  const entryDir = join(root, HISTORY_DIR, last);
  let entry: HistoryEntry;
  try {
    entry = JSON.parse(readFileSync(join(entryDir, 'entry.json'), 'utf8')) as HistoryEntry;
  } catch (err) {
    throw new UsageError(
      `The history entry ${entryDir} is damaged: ${(err as Error).message}`,
      'restore the files with git instead',
    );
  }
  const edited = entry.files.filter((f) => {
    const abs = join(root, f.path);
    const now = existsSync(abs) ? sha256(readFileSync(abs, 'utf8')) : null;
    return now !== f.after;
  });
  if (edited.length)
    throw new UsageError(
      `Files changed since omnistack ${entry.command}; undo would lose those edits:\n  ${edited.map((f) => f.path).join('\n  ')}`,
      'commit or copy them, restore what the change wrote, then undo (or restore with git)',
    );
  restore(root, entryDir, entry.files);
  rmSync(entryDir, { recursive: true, force: true });
  return entry;
};
