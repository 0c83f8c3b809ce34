import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Answers, PackageManager } from '../choices.js';
import { UsageError } from '../engine/errors.js';
import { type FileRecord, STATE_FILE, sha256 } from '../engine/state.js';

/** What omnistack.json holds about a project. */
export interface ProjectState {
  version: string;
  name: string;
  /** Absent in records written before it was recorded. */
  packageManager?: PackageManager;
  answers: Answers;
}

/** The project around `cwd`: the nearest folder upward with an omnistack.json, so any subfolder works. */
export const findProject = (cwd: string): { root: string; project: ProjectState } => {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, 'omnistack.json');
    if (existsSync(file)) {
      try {
        return { root: dir, project: JSON.parse(readFileSync(file, 'utf8')) as ProjectState };
      } catch (err) {
        throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`, 'restore it from git');
      }
    }
    if (dirname(dir) === dir)
      throw new UsageError(
        `No omnistack.json in ${resolve(cwd)} or any folder above it.`,
        'run omnistack inside a project made by create-omnistack',
      );
  }
};

/** Files whose content differs from what we last wrote (edited by the user) or that are gone. */
export const driftedFiles = (root: string): { edited: string[]; missing: string[] } => {
  const record = JSON.parse(readFileSync(join(root, STATE_FILE), 'utf8')) as Record<string, FileRecord>;
  const edited: string[] = [];
  const missing: string[] = [];
  for (const [path, { sha256: hash }] of Object.entries(record)) {
    const abs = join(root, path);
    if (!existsSync(abs)) missing.push(path);
    // A Windows checkout's CRLF line ends are not an edit.
    else if (sha256(readFileSync(abs, 'utf8').replaceAll('\r\n', '\n')) !== hash) edited.push(path);
  }
  return { edited, missing };
};
