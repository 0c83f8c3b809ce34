import { existsSync, readdirSync, rmSync } from 'node:fs';
import { copyFile, mkdir, rename, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plan } from './plan.js';

/** Test hook: pause between files so a test can interrupt the process mid-write. */
const writeDelayMs = Number(process.env.OMNISTACK_WRITE_DELAY_MS ?? 0);

const writeAll = async (dir: string, entries: Plan['entries']): Promise<void> => {
  const dirs = [...new Set(entries.map((e) => dirname(join(dir, e.path))))];
  await Promise.all(dirs.map((d) => mkdir(d, { recursive: true })));
  if (!writeDelayMs) {
    await Promise.all(entries.map((e) => writeFile(join(dir, e.path), e.content)));
    return;
  }
  for (const e of entries) {
    await writeFile(join(dir, e.path), e.content);
    await sleep(writeDelayMs);
  }
};

const stagingPrefix = (root: string): string => `.${basename(root)}.omnistack-`;

const alive = (pid: number): boolean => {
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
      if (existsSync(plan.root)) await rmdir(plan.root); // the plan checked it is empty
      await rename(staging, plan.root);
      return;
    }
    // --force into a non-empty folder: every file we replace is copied to a backup first.
    const backup = join(plan.root, '.omnistack', 'backup', new Date().toISOString().replace(/[:.]/g, '-'));
    for (const e of toWrite) {
      const target = join(plan.root, e.path);
      if (e.action === 'overwrite') {
        await mkdir(dirname(join(backup, e.path)), { recursive: true });
        await copyFile(target, join(backup, e.path));
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(join(staging, e.path), target);
    }
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
