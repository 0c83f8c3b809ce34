/**
 * `omnistack add | remove | upgrade | undo`: plan (update.ts), show, apply all or nothing
 * (history.ts), then one install with the project's package manager.
 */
import { createTwoFilesPatch } from 'diff';
import { describeAnswers } from '../choices.js';
import { type ChangeKind, changeAnswers } from '../engine/change.js';
import { applyPlan, undoLast } from '../engine/history.js';
import { type ProjectRecord, readProject } from '../engine/record.js';
import { STATE_FILE, toolVersion } from '../engine/state.js';
import {
  conflictsOf,
  countActions,
  type FileChange,
  isWritten,
  planUpdate,
  type UpdatePlan,
} from '../engine/update.js';
import type { PackageManager } from './package-manager.js';
import { findProject } from './project.js';

export interface ChangeOptions {
  dryRun?: boolean;
  json?: boolean;
  /** commander's `--no-install`. */
  install?: boolean;
  /** `stop` (default) or `markers`. */
  onConflict?: string;
}

const print = (text: string) => process.stdout.write(text);

const patch = (path: string, before: string | undefined, after: string | undefined): string =>
  createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${path}`,
    after === undefined ? '/dev/null' : `b/${path}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: 3 },
  )
    .split('\n')
    .slice(1) // the ===== line
    .join('\n');

/** The diff people see: values of a secret file stay hidden, the record is too long to be useful. */
const unifiedDiff = (f: FileChange): string => {
  if (f.path === STATE_FILE) return `--- a/${f.path}\n+++ b/${f.path}\n(the record of what was rendered; not shown)\n`;
  if (f.secret) {
    const known = new Set((f.before ?? '').match(/^[A-Za-z_][A-Za-z0-9_]*=/gm));
    const added = (f.after ?? '').match(/^[A-Za-z_][A-Za-z0-9_]*=/gm)?.filter((name) => !known.has(name)) ?? [];
    return `--- a/${f.path}\n+++ b/${f.path}\n${added.map((name) => `+${name}<value hidden>`).join('\n')}\n`;
  }
  return patch(f.path, f.before, f.after ?? f.proposed);
};

/** Files applying writes or deletes, and the lines to apply by hand for a file the user deleted. */
const shown = (f: FileChange): boolean => isWritten(f, true) || f.proposed !== undefined;

const planLines = (plan: UpdatePlan): string =>
  plan.files.map((f) => `  ${f.action.padEnd(9)} ${f.path}${f.reason ? `  (${f.reason})` : ''}\n`).join('');

const summary = (plan: UpdatePlan): string =>
  Object.entries(countActions(plan))
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${n} ${action}`)
    .join(', ');

const install = async (
  root: string,
  pm: PackageManager,
  quiet: boolean,
): Promise<{ installed: boolean; notes: string[] }> => {
  const { finish } = await import('./finish.js');
  return finish({
    root,
    pm,
    install: true,
    git: false,
    quiet,
    unpublished: `create-omnistack ${toolVersion()} is not on the registry: point package.json's create-omnistack at a packed .tgz (file:...).`,
  });
};

const jsonPlan = (plan: UpdatePlan, withDiffs: boolean) => ({
  command: plan.command,
  answers: { from: plan.from.answers, to: plan.answers },
  files: plan.files.map((f) => ({
    path: f.path,
    action: f.action,
    ...(f.reason ? { reason: f.reason } : {}),
    ...(withDiffs && shown(f) ? { diff: unifiedDiff(f) } : {}),
  })),
  counts: countActions(plan),
  conflicts: conflictsOf(plan).map((f) => f.path),
  notes: plan.notes,
});

/** Shows, applies and installs a plan; returns the exit code. */
const carryOut = async (plan: UpdatePlan, o: ChangeOptions): Promise<number> => {
  const conflicts = conflictsOf(plan);
  const stop = conflicts.length > 0 && o.onConflict !== 'markers';
  if (o.dryRun) {
    if (o.json)
      print(
        `${JSON.stringify({ ok: conflicts.length === 0, exitCode: conflicts.length ? 1 : 0, dryRun: true, ...jsonPlan(plan, true) })}\n`,
      );
    else {
      print(`Dry run of omnistack ${plan.command} (${summary(plan)}); nothing is written.\n${planLines(plan)}`);
      for (const f of plan.files.filter(shown)) print(`\n${unifiedDiff(f)}`);
      for (const note of plan.notes) print(`\nnote: ${note}\n`);
    }
    return conflicts.length ? 1 : 0;
  }
  if (stop) {
    if (o.json) print(`${JSON.stringify({ ok: false, exitCode: 1, written: false, ...jsonPlan(plan, false) })}\n`);
    else
      process.stderr.write(
        `error: omnistack ${plan.command} stopped: ${conflicts.length} file(s) changed by you and by the change. Nothing was written.\n${conflicts.map((f) => `  ${f.path}  (${f.reason})\n`).join('')}  hint: see the merge with --dry-run; commit your work, then rerun with --on-conflict markers to write the files with conflict markers to resolve\n`,
      );
    return 1;
  }
  const changed = plan.files.some((f) => isWritten(f, true));
  if (changed) applyPlan(plan, true);
  const needsInstall = plan.files.some((f) => f.path === 'package.json' && f.after !== f.before);
  const installNow = needsInstall && o.install !== false && conflicts.length === 0;
  const notes = [...plan.notes];
  const done = installNow ? await install(plan.root, plan.from.packageManager, Boolean(o.json)) : undefined;
  notes.push(...(done?.notes ?? []));
  const installed = done?.installed ?? false;
  if (!installed && needsInstall && !done?.notes.length)
    notes.push(
      `dependencies changed: run ${plan.from.packageManager} install${conflicts.length ? ' once the conflicts are resolved' : ''}`,
    );
  if (o.json) {
    print(
      `${JSON.stringify({ ok: conflicts.length === 0, written: changed, installed, ...jsonPlan(plan, false), notes })}\n`,
    );
  } else {
    print(`omnistack ${plan.command}: ${changed ? summary(plan) : 'nothing to change'}.\n${planLines(plan)}`);
    for (const note of notes) print(`note: ${note}\n`);
    if (conflicts.length)
      process.stderr.write(
        `error: ${conflicts.length} conflict(s) left for you to resolve (files with markers: <<<<<<< yours ... >>>>>>>):\n${conflicts.map((f) => `  ${f.path}  (${f.reason})\n`).join('')}  hint: resolve them, then run the checks; omnistack undo puts everything back as it was\n`,
      );
    else if (changed)
      print(`choices now: ${describeAnswers(plan.answers)}\nomnistack undo puts the project back as it was before.\n`);
  }
  return conflicts.length ? 1 : 0;
};

const project = (): ProjectRecord => readProject(findProject(process.cwd()).root);

export const runChange = async (kind: ChangeKind, tokens: string[], o: ChangeOptions): Promise<number> => {
  const from = project();
  const answers = changeAnswers(from.answers, kind, tokens);
  return carryOut(planUpdate(from, answers, { command: `${kind} ${tokens.join(' ')}` }), o);
};

export const runUpgrade = async (o: ChangeOptions): Promise<number> => {
  const from = project();
  return carryOut(planUpdate(from, from.answers, { command: 'upgrade', upgrade: true }), o);
};

export const runUndo = async (o: Pick<ChangeOptions, 'json' | 'install'>): Promise<number> => {
  // Not readProject: undo must work on a project whose record the last change left odd.
  const { root, project: recorded } = findProject(process.cwd());
  const pm = recorded.packageManager ?? 'npm';
  const entry = undoLast(root);
  const restoredPackage = entry.files.some((f) => f.path === 'package.json');
  const notes =
    restoredPackage && o.install !== false
      ? (await install(root, pm, Boolean(o.json))).notes
      : restoredPackage
        ? [`dependencies changed: run ${pm} install`]
        : [];
  if (o.json)
    print(`${JSON.stringify({ ok: true, undone: entry.command, files: entry.files.map((f) => f.path), notes })}\n`);
  else {
    print(`Undid omnistack ${entry.command} (${entry.files.length} file(s) restored).\n`);
    for (const note of notes) print(`note: ${note}\n`);
  }
  return 0;
};
