import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Plan } from './plan.js';

/** Test hook: pause between files so a test can interrupt the process mid-write. */
const writeDelayMs = Number(process.env.OMNISTACK_WRITE_DELAY_MS ?? 0);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes the files into `dir`. Synchronous calls: for a few dozen small files they are faster
 * than a promise per file, and the whole write takes milliseconds (signals wait for the next tick).
 */
const writeAll = async (dir: string, entries: Plan['entries']): Promise<void> => {
  for (const d of new Set(entries.map((e) => dirname(join(dir, e.path))))) mkdirSync(d, { recursive: true });
  for (const e of entries) {
    writeFileSync(join(dir, e.path), e.content, e.secret ? { mode: 0o600 } : {});
    if (writeDelayMs) await sleep(writeDelayMs);
  }
};

const stagingPrefix = (root: string): string => `.${basename(root)}.omnistack-`;

/** Whether process `pid` still runs (a staging folder or lock of a killed run is stale). */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A run killed with SIGKILL cannot clean up; the next run for the same target removes its staging folder. */
const removeStaleStaging = (root: string): void => {
  const prefix = stagingPrefix(root);
  let names: string[];
  try {
    names = readdirSync(dirname(root));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) {
      rmSync(join(dirname(root), name), { recursive: true, force: true });
    }
  }
};

/**
 * The one place that writes a project to disk. Files are staged in a sibling folder and moved
 * into place at the end, so an interrupted run never leaves a half-written project.
 */
export const apply = async (plan: Plan): Promise<void> => {
  const staging = join(dirname(plan.root), `${stagingPrefix(plan.root)}${process.pid}`);
  removeStaleStaging(plan.root);
  const cleanup = () => rmSync(staging, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const toWrite = plan.entries.filter((e) => e.action !== 'unchanged');
    await writeAll(staging, toWrite);
    if (plan.fresh) {
      if (existsSync(plan.root)) rmdirSync(plan.root); // the plan checked it is empty
      renameSync(staging, plan.root);
      return;
    }
    // --force into a non-empty folder: every file we replace is copied to a backup first.
    const backup = join(plan.root, '.omnistack', 'backup', new Date().toISOString().replace(/[:.]/g, '-'));
    for (const e of toWrite) {
      const target = join(plan.root, e.path);
      if (e.action === 'overwrite') {
        mkdirSync(dirname(join(backup, e.path)), { recursive: true });
        copyFileSync(target, join(backup, e.path));
      }
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(staging, e.path), target);
    }
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
