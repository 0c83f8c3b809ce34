/**
 * The `changes` check (`npm run matrix -- --tier changes`): `omnistack add / remove / undo` proven on
 * every tier-1 row. For each row and each module X in it, on disk: create(row without X) then add X
 * equals create(row); adding X again is refused and changes nothing; the inverse restores the tree;
 * undoing everything restores every byte; the result passes tier 0's static checks; and random user
 * edits survive the add (see changes-fuzz.ts). The engine runs in-process, as the CLI calls it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Answers } from '../choices.js';
import { changeAnswers } from '../engine/change.js';
import { UsageError } from '../engine/errors.js';
import { applyPlan, undoLast } from '../engine/history.js';
import { readProject } from '../engine/record.js';
import { STATE_FILE } from '../engine/state.js';
import type { Tree } from '../engine/tree.js';
import { conflictsOf, ENV_FILE, type FileAction, isWritten, planUpdate, type UpdatePlan } from '../engine/update.js';
import { type ChangeCase, type ChangeOp, changeCases } from './changes-cases.js';
import { editable, editFile, type FileEdits, lostEdits, prng, seedFor } from './changes-fuzz.js';
import { migrationProblems, tablesIn } from './changes-migrations.js';
import {
  APP_NAME,
  createProject,
  envProblems,
  fileMode,
  historyEntries,
  isMigrationHistory,
  readTree,
  recordProblems,
  rendered,
  treeDiff,
} from './changes-tree.js';
import { scratchFolder, turn } from './exec.js';
import { type Failure, median, sh, stepStats, type TierReport } from './report.js';
import { answersKey, describe, flagsFor } from './space.js';
import { checkFile, checkTree } from './static.js';

export interface ChangesOptions {
  rows: readonly { id: string; answers: Answers }[];
  /** Row or case ids to run (all when absent). */
  only?: ReadonlySet<string>;
  /** Cleaned first; failing cases (all with `keep`) are copied here. */
  outDir: string;
  repoRoot: string;
  seed: number;
  /** Fuzz rounds per case. */
  rounds?: number;
  keep?: boolean;
  log?: (line: string) => void;
}

/** The env var that sets the fuzz seed, printed in every reproduce line. */
export const SEED_ENV = 'MATRIX_SEED';
export const DEFAULT_SEED = 11;
/**
 * Fuzz rounds per case. One: with a case per (row, module) there are hundreds of cases, each with
 * its own seed, and the fuzz was half the tier's time at three.
 */
const ROUNDS = 1;

/** With no edits on disk every file is fast-forwarded: a merge, a conflict or a kept file means a wrong base. */
const CLEAN: readonly FileAction[] = ['create', 'update', 'delete'];

/** Projects are made in memory-backed /dev/shm where there is one: on disk, writing them is most of the time. */
const scratch = (): string => mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'omnistack-changes-'));

const commandOf = (op: ChangeOp): string => `${op.kind} ${op.tokens.join(' ')}`;

/** Plans one change on the project at `root` as the CLI does (nothing written). */
const plan = (root: string, op: ChangeOp): UpdatePlan => {
  const from = readProject(root);
  return planUpdate(from, changeAnswers(from.answers, op.kind, op.tokens), { command: commandOf(op) });
};

/** Writes the plan when it changes anything, as the CLI does; true when it wrote (one history entry). */
const write = (p: UpdatePlan): boolean => {
  const changes = p.files.some((f) => isWritten(f, true));
  if (changes) applyPlan(p, true);
  return changes;
};

const unclean = (p: UpdatePlan): string[] =>
  p.files
    .filter((f) => !CLEAN.includes(f.action))
    .map((f) => `${p.command}: ${f.action} ${f.path}${f.reason ? ` (${f.reason})` : ''} on an untouched project`);

const errorText = (err: unknown): string =>
  err instanceof UsageError
    ? `${err.message}${err.hint ? ` (hint: ${err.hint})` : ''}`
    : String((err as Error).stack ?? err);

/** Runs one case's checks in order, stopping at the first that fails (the later ones build on it). */
const runCase = async (
  c: ChangeCase,
  o: ChangesOptions & { work: string; fuzz: FuzzRun },
  samples: Sample[],
  failures: Failure[],
): Promise<boolean> => {
  const folder = c.id.replace(/[^\w.=+-]/g, '_');
  const dir = join(o.work, folder);
  const root = join(dir, APP_NAME);
  const dbSwitch = c.before.db !== c.after.db;
  const expected = rendered(c.after);
  const bin = (file: string) => sh(join(o.repoRoot, 'bin', file));
  const reproduce: Failure['reproduce'] = [
    { cwd: o.repoRoot, command: `${SEED_ENV}=${o.seed} npm run matrix -- --tier changes --only ${sh(c.id)} --keep` },
    {
      cwd: '<an empty folder>',
      command: `node ${bin('create-omnistack.js')} ${APP_NAME} ${flagsFor(c.before).map(sh).join(' ')} --no-install --no-git && cd ${APP_NAME} && node ${bin('omnistack.js')} add ${c.add.join(' ')} --no-install`,
    },
  ];
  const step = async (name: string, check: () => Promise<string[]> | string[]): Promise<boolean> => {
    const t0 = performance.now();
    let problems: string[];
    try {
      problems = await check();
    } catch (err) {
      problems = [errorText(err)];
    }
    samples.push({ step: name, ms: performance.now() - t0, ok: problems.length === 0 });
    if (problems.length)
      failures.push({
        id: c.id,
        step: name,
        combination: `${describe(c.before)} + add ${c.add.join(' ')}`,
        message: `${problems.slice(0, 12).join('\n  ')}${problems.length > 12 ? `\n  ... and ${problems.length - 12} more` : ''}`,
        reproduce,
        kept: join(o.outDir, folder),
      });
    return problems.length === 0;
  };

  rmSync(dir, { recursive: true, force: true });
  let created: Tree = new Map();
  let added: Tree = new Map();
  let applied = 0;
  const ok =
    (await step('create', async () => {
      await createProject(root, c.before);
      created = readTree(root);
      return [];
    })) &&
    (await step('add', () => {
      const p = plan(root, { kind: 'add', tokens: c.add });
      if (answersKey(p.answers) !== answersKey(c.after)) return [`add ${c.add.join(' ')} gives ${describe(p.answers)}`];
      const problems = unclean(p);
      if (problems.length === 0 && write(p)) applied++;
      added = readTree(root);
      return problems;
    })) &&
    (await step('compare', () => [
      // A switch of database starts the other dialect's history, so then even the migrations are create's.
      ...treeDiff(added, expected, (p) => p === ENV_FILE || (!dbSwitch && (p === STATE_FILE || isMigrationHistory(p)))),
      ...envProblems(added.get(ENV_FILE), created.get(ENV_FILE), expected.get('.env.example') ?? ''),
      ...(fileMode(root, ENV_FILE) === 0o600
        ? []
        : [`${ENV_FILE}: mode ${fileMode(root, ENV_FILE).toString(8)}, not 600`]),
      ...(dbSwitch ? [] : [...recordProblems(added, expected), ...migrationProblems(added, expected, created)]),
    ])) &&
    (await step('again', () => againProblems(root, c, added))) &&
    (await step('static', () => staticProblems(added, expected, c.after))) &&
    (await step('inverse', () => {
      const notes: string[] = [];
      for (const op of c.inverse) {
        const p = plan(root, op);
        const problems = unclean(p);
        if (problems.length) return problems;
        notes.push(...p.notes);
        if (write(p)) applied++;
      }
      const now = readTree(root);
      const answers = readProject(root).answers;
      const left = tablesIn(expected).filter((t) => !tablesIn(rendered(c.before)).includes(t));
      return [
        ...(answersKey(answers) === answersKey(c.before) ? [] : [`the inverse left ${describe(answers)}`]),
        ...treeDiff(now, created, (p) => p === ENV_FILE || (!dbSwitch && (p === STATE_FILE || isMigrationHistory(p)))),
        ...envProblems(now.get(ENV_FILE), added.get(ENV_FILE), rendered(c.before).get('.env.example') ?? ''),
        // Removing a module never drops its tables: the history stays as the add left it, and the notes say so.
        ...(dbSwitch
          ? []
          : [
              ...treeDiff(now, added, (p) => !isMigrationHistory(p)).map((d) => `migration history: ${d}`),
              ...recordProblems(now, created),
              ...left
                .filter((t) => !notes.some((n) => n.includes(t)))
                .map((t) => `the notes do not say table ${t} stays: ${JSON.stringify(notes)}`),
            ]),
      ];
    })) &&
    (await step('undo', () => {
      for (let i = 0; i < applied; i++) undoLast(root);
      const left = historyEntries(root);
      return [
        ...treeDiff(readTree(root), created),
        ...(left.length ? [`history entries left after undoing everything: ${left.join(', ')}`] : []),
        ...(fileMode(root, ENV_FILE) === 0o600
          ? []
          : [`${ENV_FILE}: mode ${fileMode(root, ENV_FILE).toString(8)} after undo`]),
      ];
    })) &&
    (await step('fuzz', async () => {
      const out: string[] = [];
      for (let round = 0; round < (o.rounds ?? ROUNDS); round++) out.push(...(await fuzzRound(c, dir, round, o.fuzz)));
      return out;
    }));
  if (!ok || o.keep) cpSync(dir, join(o.outDir, folder), { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  return ok;
};

/** Adding X again is refused as already there, and a re-render with the same answers changes nothing. */
const againProblems = (root: string, c: ChangeCase, added: Tree): string[] => {
  const out: string[] = [];
  try {
    plan(root, { kind: 'add', tokens: c.add });
    out.push(`add ${c.add.join(' ')} a second time was accepted`);
  } catch (err) {
    if (!(err instanceof UsageError && /already in this project/.test(err.message)))
      out.push(`add ${c.add.join(' ')} a second time: ${errorText(err)} (expected "... is already in this project")`);
  }
  const from = readProject(root);
  const same = planUpdate(from, from.answers, { command: 'add (same answers)' });
  out.push(...same.files.map((f) => `a re-render with the same answers plans ${f.action} ${f.path}`));
  out.push(...treeDiff(readTree(root), added));
  return out;
};

/** Tier 0's checks on the tree after the add: the files create would check, plus the syntax of appended migrations. */
const staticProblems = (added: Tree, expected: Tree, answers: Answers): string[] => {
  const appended = (p: string) => isMigrationHistory(p) && !expected.has(p);
  const tree: Tree = new Map([...added].filter(([p]) => p !== ENV_FILE && !appended(p)));
  return [
    ...checkTree(tree, answers),
    ...[...added].filter(([p]) => appended(p)).flatMap(([p, text]) => checkFile(p, text)),
  ].map((p) => `${p.check}: ${p.path ?? ''} ${p.message}`);
};

/**
 * One fuzz round on a fresh create(before): user edits in 1-4 files, then the add. With conflicts,
 * `--on-conflict stop` writes nothing (planning alone must leave the tree as it is); then the add with
 * markers must keep every user line, and every file the user did not touch must be create's.
 */
const fuzzRound = async (c: ChangeCase, dir: string, round: number, run: FuzzRun): Promise<string[]> => {
  const { tally } = run;
  const roundSeed = seedFor(run.seed, c.id, round);
  const rand = prng(roundSeed);
  const root = join(dir, `fuzz-${round}`, APP_NAME);
  await createProject(root, c.before);
  const base = readTree(root);
  const ours = rendered(c.after);
  const files = editable(base);
  const touched = files.filter((p) => p !== ENV_FILE && ours.get(p) !== base.get(p));
  const counter = { n: 0 };
  const edits = new Map<string, FileEdits>();
  for (let i = 0, n = 1 + Math.floor(rand() * 4); i < n; i++) {
    const pool = touched.length && rand() < 0.6 ? touched : files;
    const path = pool[Math.floor(rand() * pool.length)] as string;
    if (edits.has(path)) continue;
    const e = editFile(rand, path, base.get(path) ?? '', ours.get(path), counter);
    edits.set(path, e);
    writeFileSync(join(root, path), e.text);
  }
  const said = (problem: string) =>
    `round ${round} (seed ${roundSeed}, edited ${[...edits.keys()].join(', ')}): ${problem}`;
  const edited = readTree(root);
  const p = plan(root, { kind: 'add', tokens: c.add });
  const conflicts = conflictsOf(p);
  tally.rounds++;
  if (conflicts.length) tally.stopped++;
  tally.merged += p.files.filter((f) => f.action === 'merge').length;
  tally.conflicts += conflicts.length;
  for (const e of edits.values()) {
    tally.lines += e.markers.length;
    tally.deleted += e.deleted.length;
  }
  // --on-conflict stop: the CLI plans, sees conflicts and writes nothing; planning itself must not write.
  const out = treeDiff(readTree(root), edited).map(
    (d) => `planning${conflicts.length ? ' (conflicts: stop)' : ''} wrote: ${d}`,
  );
  if (conflicts.length && !run.cliStopped.has(c.rowId)) {
    run.cliStopped.add(c.rowId);
    out.push(
      ...cliStopProblems(
        run.cli,
        root,
        c,
        conflicts.map((f) => f.path),
      ),
    );
    out.push(...treeDiff(readTree(root), edited).map((d) => `omnistack add --on-conflict stop wrote: ${d}`));
  }
  write(p);
  const after = readTree(root);
  const action = new Map(p.files.map((f) => [f.path, f.action]));
  for (const e of edits.values()) {
    const clean = action.get(e.path) !== 'conflict' && after.has(e.path);
    out.push(...lostEdits(e, after.get(e.path), { base: base.get(e.path), ours: ours.get(e.path), clean }));
    // A file the add does not change is the user's, byte for byte.
    if (ours.get(e.path) === base.get(e.path) && after.get(e.path) !== e.text)
      out.push(`${e.path}: only the user changed it, yet it changed`);
  }
  const skip = (path: string) =>
    edits.has(path) || path === ENV_FILE || path === STATE_FILE || isMigrationHistory(path);
  out.push(...treeDiff(after, ours, skip).map((d) => `a file the user did not touch: ${d}`));
  // A conflict the add writes carries markers; one it leaves (the user's edited file it would delete) is theirs, byte for byte.
  for (const f of conflicts)
    if (isWritten(f, true) ? !after.get(f.path)?.includes('<<<<<<< yours') : after.get(f.path) !== edited.get(f.path))
      out.push(
        `${f.path}: a conflict ${isWritten(f, true) ? 'written without markers' : 'that should stay as it was, changed'}`,
      );
  return out.map(said);
};

type Sample = { step: string; ms: number; ok: boolean };

/** The fuzz's state across cases. */
interface FuzzRun {
  seed: number;
  tally: Tally;
  /** bin/omnistack.js: the stop path runs through the real CLI once per row (a process per round would double the time). */
  cli: string;
  cliStopped: Set<string>;
}

/** `omnistack add ... --on-conflict stop --json` in the project: exit 1, nothing written, the same conflicts. */
const cliStopProblems = (cli: string, root: string, c: ChangeCase, conflicts: string[]): string[] => {
  const args = [cli, 'add', ...c.add, '--on-conflict', 'stop', '--json', '--no-install'];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  const said = (() => {
    try {
      return JSON.parse(r.stdout) as { ok?: boolean; written?: boolean; conflicts?: string[] };
    } catch {
      return undefined;
    }
  })();
  if (r.status === 1 && said?.ok === false && said.written === false && said.conflicts?.join() === conflicts.join())
    return [];
  return [
    `omnistack ${args.slice(1).join(' ')}: exit ${r.status}, ${r.stdout.trim() || r.stderr.trim()} (expected exit 1, written: false, conflicts ${conflicts.join(', ')})`,
  ];
};

/** What the fuzz exercised, for the report: a fuzz that never conflicts proves little. */
interface Tally {
  rounds: number;
  /** Rounds with conflicts: `--on-conflict stop` would write nothing, markers keep both sides. */
  stopped: number;
  merged: number;
  conflicts: number;
  lines: number;
  deleted: number;
}

export const runChanges = async (o: ChangesOptions): Promise<TierReport> => {
  const started = performance.now();
  const log = o.log ?? (() => {});
  const all = changeCases(o.rows);
  const cases = o.only ? all.filter((c) => o.only?.has(c.id) || o.only?.has(c.rowId)) : all;
  rmSync(o.outDir, { recursive: true, force: true });
  const samples: Sample[] = [];
  const failures: Failure[] = [];
  const perCase: number[] = [];
  let passed = 0;
  const work = scratch();
  const removeWork = scratchFolder(work);
  const tally: Tally = { rounds: 0, stopped: 0, merged: 0, conflicts: 0, lines: 0, deleted: 0 };
  const fuzz: FuzzRun = { seed: o.seed, tally, cli: join(o.repoRoot, 'bin', 'omnistack.js'), cliStopped: new Set() };
  log(`changes: ${cases.length} cases (row + module) from ${o.rows.length} rows, seed ${o.seed}, working in ${work}`);
  try {
    for (const c of cases) {
      await turn();
      const t0 = performance.now();
      const ok = await runCase(c, { ...o, work, fuzz }, samples, failures);
      perCase.push(performance.now() - t0);
      if (ok) passed++;
      else log(`FAIL ${c.id}: kept in ${o.outDir}`);
    }
  } finally {
    removeWork();
  }
  const multi = cases.filter((c) => c.inverse.length > 1 || c.add.length > 2).length;
  return {
    tier: 'changes',
    combinations: cases.length,
    passed,
    failed: cases.length - passed,
    failures,
    steps: stepStats(samples),
    medianComboMs: median(perCase),
    totalMs: performance.now() - started,
    notes: [
      `${cases.length} cases: each tier-1 row with one module taken out, then added back (${multi} of them move a rule's other dimension too)`,
      `fuzz: ${o.rounds ?? ROUNDS} rounds per case, seed ${o.seed} (${SEED_ENV}=n to change it): ${tally.rounds} rounds, ${tally.lines} user lines and ${tally.deleted} deletions checked; ${tally.merged} files merged cleanly; ${tally.stopped} rounds had conflicts (${tally.conflicts} files): stop must write nothing (through bin/omnistack.js in the first such round of each of ${fuzz.cliStopped.size} rows), markers must keep every user line`,
    ],
    details: {
      seed: o.seed,
      cases: cases.map((c) => ({ id: c.id, add: c.add.join(' '), inverse: c.inverse.map(commandOf) })),
    },
  };
};
