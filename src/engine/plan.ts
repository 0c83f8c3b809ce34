import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import type { Tree } from './tree.js';

export type Action = 'create' | 'unchanged' | 'overwrite';

export interface PlanEntry {
  path: string;
  action: Action;
  content: string;
  /** Readable by its owner only (mode 0600): it holds secrets. */
  secret?: true;
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

/** `none`: nothing there; `empty`: an empty folder; `used`: a folder with files in it. */
export const targetState = (root: string): 'none' | 'empty' | 'used' => {
  if (!existsSync(root)) return 'none';
  if (!statSync(root).isDirectory()) throw new UsageError(`${root} exists and is not a directory.`);
  return isEmptyDir(root) ? 'empty' : 'used';
};

export const NOT_EMPTY_HINT =
  'choose another name, empty it, or pass --force to write into it (existing files are backed up, never deleted)';

/**
 * `--force` over a project made with other choices would leave the old modules' files behind, and a
 * project that no longer type-checks. Writing the same choices again (a repair) is fine.
 */
const refuseOtherChoices = (root: string, tree: Tree): void => {
  const file = join(root, 'omnistack.json');
  if (!existsSync(file)) return;
  const answers = (text: string) => JSON.stringify((JSON.parse(text) as { answers?: unknown }).answers);
  let theirs: string;
  try {
    theirs = answers(readFileSync(file, 'utf8'));
  } catch {
    throw new UsageError(`${file} is not valid JSON.`, 'fix or remove it before writing into this folder');
  }
  if (theirs !== answers(tree.get('omnistack.json') ?? '{}'))
    throw new UsageError(
      `${root} is a create-omnistack project made with other choices; --force would leave the old modules' files behind.`,
      'create into a new folder, or keep this project as it is (`npx omnistack list` shows its choices)',
    );
};

/**
 * Plans writing `tree` into a new project folder. A non-empty target is refused unless `force`,
 * and even then a file that would change is only overwritten after a backup (see apply).
 * `local` files (the `.env`) are the user's: written where none exists yet, never replaced.
 */
export const planCreate = (tree: Tree, root: string, force: boolean, local: Tree = new Map()): Plan => {
  const state = targetState(root);
  const created = (files: Tree): PlanEntry[] =>
    [...files].map(([path, content]) => ({ path, action: 'create', content }));
  const secrets = (files: Tree): PlanEntry[] => created(files).map((e) => ({ ...e, secret: true }));
  if (state !== 'used') {
    // Replacing the folder the user stands in would leave their shell in a deleted directory.
    const fresh = state === 'none' || root !== process.cwd();
    return { root, fresh, entries: [...created(tree), ...secrets(local)] };
  }
  if (!force) throw new UsageError(`Target folder ${root} is not empty.`, NOT_EMPTY_HINT);
  refuseOtherChoices(root, tree);
  const entries = [...tree].map(([path, content]): PlanEntry => {
    const abs = join(root, path);
    if (!existsSync(abs)) return { path, action: 'create', content };
    return { path, action: readFileSync(abs, 'utf8') === content ? 'unchanged' : 'overwrite', content };
  });
  const missing = new Map([...local].filter(([path]) => !existsSync(join(root, path))));
  return { root, fresh: false, entries: [...entries, ...secrets(missing)] };
};

export const summarize = (plan: Plan): Record<Action, number> => {
  const counts: Record<Action, number> = { create: 0, unchanged: 0, overwrite: 0 };
  for (const e of plan.entries) counts[e.action]++;
  return counts;
};
