import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import type { Tree } from './tree.js';

export type Action = 'create' | 'unchanged' | 'overwrite';

export interface PlanEntry {
  path: string;
  action: Action;
  content: string;
}

export interface Plan {
  /** Absolute target directory. */
  root: string;
  /**
   * The target did not exist or was an empty folder other than the current one: the whole folder
   * is staged and renamed into place. Otherwise files are staged and moved in one by one.
   */
  fresh: boolean;
  entries: PlanEntry[];
}

const isEmptyDir = (dir: string): boolean => readdirSync(dir).length === 0;

/**
 * Plans writing `tree` into a new project folder. A non-empty target is refused unless `force`,
 * and even then a file that would change is only overwritten after a backup (see apply).
 * `local` files (the `.env`) are the user's: written where none exists yet, never replaced.
 */
export const planCreate = (tree: Tree, root: string, force: boolean, local: Tree = new Map()): Plan => {
  const empty = existsSync(root) && statSync(root).isDirectory() && isEmptyDir(root);
  const created = (files: Tree): PlanEntry[] =>
    [...files].map(([path, content]) => ({ path, action: 'create', content }));
  if (!existsSync(root) || empty) {
    // Replacing the folder the user stands in would leave their shell in a deleted directory.
    const fresh = !empty || root !== process.cwd();
    return { root, fresh, entries: [...created(tree), ...created(local)] };
  }
  if (!statSync(root).isDirectory()) throw new UsageError(`${root} exists and is not a directory.`);
  if (!force) {
    throw new UsageError(
      `Target folder ${root} is not empty.`,
      'choose another name, empty it, or pass --force to write into it (existing files are backed up, never deleted)',
    );
  }
  const entries = [...tree].map(([path, content]): PlanEntry => {
    const abs = join(root, path);
    if (!existsSync(abs)) return { path, action: 'create', content };
    return { path, action: readFileSync(abs, 'utf8') === content ? 'unchanged' : 'overwrite', content };
  });
  const missing = new Map([...local].filter(([path]) => !existsSync(join(root, path))));
  return { root, fresh: false, entries: [...entries, ...created(missing)] };
};

export const summarize = (plan: Plan): Record<Action, number> => {
  const counts: Record<Action, number> = { create: 0, unchanged: 0, overwrite: 0 };
  for (const e of plan.entries) counts[e.action]++;
  return counts;
};
