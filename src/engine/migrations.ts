/**
 * Database tables of modules, and the one initial migration a new project starts with.
 *
 * A table set `<name>` lives in `templates/tables/<name>/`:
 *   <db>/src/db/schema/*.ts   drizzle table files for that database (`sqlite`, `postgres`), rendered like a template folder
 *   <db>.sql                  the SQL drizzle-kit generates for exactly those tables
 *   <db>.snapshot.json        drizzle-kit's snapshot, holding only those tables
 * The SQL and snapshot are made at development time by `npm run migrations` (scripts/migrations.mjs).
 * At create time the active sets are merged into `0000_initial`: their SQL in module order, one journal
 * entry and one snapshot holding every table, so `npm run db:generate` in a fresh project finds no change.
 *
 * Changing modules later (`omnistack add/remove`) appends a migration instead (migrationChange): the added
 * sets' SQL, or for a variant replacing another (projects -> projects-owned) the SQL turning one into the
 * other, stored as `<to>/<db>.from-<from>.sql`. It never drops anything: removed tables stay, with a note.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { TEMPLATES_ROOT } from './templates.js';

export const MIGRATIONS_DIR = 'src/db/migrations';
export const INITIAL_TAG = '0000_initial';

/** Template folder holding a table set's drizzle files for one database. */
export const tableSetDir = (name: string, db: string): string => `tables/${name}/${db}`;

/** Every path the initial migration writes (only when at least one table set is active). */
export const MIGRATION_FILES = [
  `${MIGRATIONS_DIR}/${INITIAL_TAG}.sql`,
  `${MIGRATIONS_DIR}/meta/_journal.json`,
  `${MIGRATIONS_DIR}/meta/0000_snapshot.json`,
] as const;

/** Snapshot members holding named objects (tables, enums, ...), merged across table sets. */
const MERGED_KEYS = ['tables', 'enums', 'schemas', 'sequences', 'roles', 'policies', 'views'];

/** Fixed, so the same answers always produce the same files; later migrations are newer. */
const INITIAL_WHEN = 1_767_225_600_000;

const readFragment = (name: string, db: string) => {
  const base = join(TEMPLATES_ROOT, 'tables', name, db);
  try {
    return {
      sql: readFileSync(`${base}.sql`, 'utf8').trim(),
      snapshot: JSON.parse(readFileSync(`${base}.snapshot.json`, 'utf8')) as Record<string, unknown>,
    };
  } catch (err) {
    throw new Error(`table set ${name} has no ${db} migration (run npm run migrations): ${(err as Error).message}`);
  }
};

/** A UUID-shaped id derived from the content, so the snapshot id is deterministic. */
const contentId = (text: string): string => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const joinSql = (parts: readonly string[]): string => `${parts.join('\n--> statement-breakpoint\n')}\n`;

/** The files of the one initial migration for these table sets (in order), or none when there are no tables. */
export const initialMigration = (sets: readonly string[], db: string): Map<string, string> => {
  const files = new Map<string, string>();
  if (sets.length === 0) return files;
  const fragments = sets.map((name) => readFragment(name, db));
  const sql = joinSql(fragments.map((f) => f.sql));
  const first = fragments[0]?.snapshot ?? {};
  const snapshot: Record<string, unknown> = {
    ...first,
    id: contentId(sql),
    prevId: '00000000-0000-0000-0000-000000000000',
  };
  for (const key of MERGED_KEYS) {
    if (!(key in first)) continue;
    snapshot[key] = Object.assign({}, ...fragments.map((f) => f.snapshot[key] ?? {}));
  }
  const journal = {
    version: '7',
    dialect: String(first.dialect),
    entries: [{ idx: 0, version: String(first.version), when: INITIAL_WHEN, tag: INITIAL_TAG, breakpoints: true }],
  };
  files.set(MIGRATION_FILES[0], sql);
  files.set(MIGRATION_FILES[1], json(journal));
  files.set(MIGRATION_FILES[2], json(snapshot));
  return files;
};

type Snapshot = Record<string, unknown>;
interface Column {
  name: string;
  notNull?: boolean;
  primaryKey?: boolean;
  default?: unknown;
}
interface Table {
  name: string;
  columns: Record<string, Column>;
}
interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}

const JOURNAL = MIGRATION_FILES[1];
const snapshotPath = (idx: number): string => `${MIGRATIONS_DIR}/meta/${String(idx).padStart(4, '0')}_snapshot.json`;
const tablesOf = (snapshot: Snapshot): Record<string, Table> => (snapshot.tables ?? {}) as Record<string, Table>;

/** The SQL turning the variant `from` into `to`, made by `npm run migrations` for variants that only add. */
const readTransition = (to: string, from: string, db: string): string => {
  const path = `${join(TEMPLATES_ROOT, 'tables', to, db)}.from-${from}.sql`;
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new Error(
      `table set ${to} has no ${db} migration from ${from} (run npm run migrations): ${(err as Error).message}`,
    );
  }
};

/** `table.column` of every column of `before`'s tables that `after` does not have (whole tables included). */
const columnsOnlyIn = (before: Snapshot, after: Snapshot): { table: string; column: Column }[] => {
  const kept = tablesOf(after);
  return Object.entries(tablesOf(before)).flatMap(([key, table]) =>
    Object.values(table.columns)
      .filter((column) => !kept[key]?.columns[column.name])
      .map((column) => ({ table: table.name, column })),
  );
};

/** True when every table, enum ... of the fragment is already in the snapshot, unchanged (left by an earlier remove). */
const alreadyIn = (snapshot: Snapshot, fragment: Snapshot): boolean =>
  MERGED_KEYS.every((key) =>
    Object.entries((fragment[key] ?? {}) as Snapshot).every(([name, value]) =>
      isDeepStrictEqual(((snapshot[key] ?? {}) as Snapshot)[name], value),
    ),
  );

const tableNames = (snapshot: Snapshot): string =>
  Object.values(tablesOf(snapshot))
    .map((t) => t.name)
    .join(', ');

const LEFT_WHY =
  'dropping data is your decision: `npm run db:generate` writes the DROP migration when you want it gone.';

const leftColumnNote = (from: string, to: string, left: { table: string; column: Column }[]): string => {
  const names = left.map((l) => `${l.table}.${l.column.name}`).join(', ');
  const required = left.filter((l) => l.column.notNull && l.column.default === undefined);
  const inserts = required.length
    ? ` ${required.map((l) => `${l.table}.${l.column.name}`).join(', ')} is NOT NULL: inserts into ${required[0]?.table} fail until it is dropped or made nullable.`
    : '';
  return `${from} -> ${to}: ${names} stays in the database with its data (no migration written); ${LEFT_WHY}${inserts}`;
};

/** What a change of table sets writes under src/db/migrations, and what it tells the user. */
export const migrationChange = (
  read: (path: string) => string | undefined,
  from: readonly string[],
  to: readonly string[],
  db: string,
  now: number,
): { files: Map<string, string>; notes: string[] } => {
  const journalText = read(JOURNAL);
  const journal = journalText === undefined ? undefined : (JSON.parse(journalText) as { entries: JournalEntry[] });
  const last = journal?.entries.at(-1);
  if (!journal || !last) return { files: initialMigration(to, db), notes: [] };
  const previousText = read(snapshotPath(last.idx));
  if (previousText === undefined)
    throw new Error(`${snapshotPath(last.idx)} is missing: the journal's last migration has no snapshot`);
  const previous = JSON.parse(previousText) as Snapshot;

  const added = to.filter((s) => !from.includes(s));
  const removed = from.filter((s) => !to.includes(s));
  const notes: string[] = [];
  const replaced = new Set<string>();
  const written: { set: string; sql: string; snapshot: Snapshot }[] = [];
  const newRequired: { table: string; column: Column }[] = [];
  for (const set of added) {
    const { sql, snapshot } = readFragment(set, db);
    const variant = removed.find((r) =>
      Object.keys(tablesOf(readFragment(r, db).snapshot)).some((k) => k in tablesOf(snapshot)),
    );
    if (variant) replaced.add(variant);
    // Tables an earlier remove left behind are already there: nothing to create.
    if (alreadyIn(previous, snapshot)) continue;
    const existing = Object.keys(tablesOf(snapshot)).filter((k) => k in tablesOf(previous));
    if (!variant && existing.length > 0) {
      // Left by an earlier change in another shape (e.g. with the owner column auth added): a CREATE would fail.
      notes.push(
        `${set}: ${existing.join(', ')} is already in the database in another shape, left by an earlier change, so no migration is written; \`npm run db:generate\` writes the one that reconciles it.`,
      );
      continue;
    }
    if (!variant) {
      written.push({ set, sql, snapshot });
      continue;
    }
    const before = readFragment(variant, db).snapshot;
    const left = columnsOnlyIn(before, snapshot);
    if (left.length > 0) {
      notes.push(leftColumnNote(variant, set, left));
      continue;
    }
    written.push({ set, sql: readTransition(set, variant, db), snapshot });
    newRequired.push(
      ...columnsOnlyIn(snapshot, before).filter(
        ({ column }) => column.notNull && column.default === undefined && !column.primaryKey,
      ),
    );
  }
  for (const set of removed.filter((s) => !replaced.has(s))) {
    notes.push(
      `${set} removed: its tables (${tableNames(readFragment(set, db).snapshot)}) stay in the database with their data; ${LEFT_WHY}`,
    );
  }
  if (written.length === 0) return { files: new Map(), notes };

  const idx = last.idx + 1;
  const tag = `${String(idx).padStart(4, '0')}_add_${written.map((w) => w.set.replaceAll('-', '_')).join('_')}`;
  for (const { table, column } of newRequired) {
    notes.push(
      `${table}.${column.name} is a new NOT NULL column without a default: existing rows need a value, so ${tag} fails on a non-empty ${table} table. Edit ${MIGRATIONS_DIR}/${tag}.sql before applying it.`,
    );
  }
  const sql = joinSql(written.map((w) => w.sql));
  const snapshot: Snapshot = { ...previous, id: contentId(`${String(previous.id)}\n${sql}`), prevId: previous.id };
  for (const key of MERGED_KEYS) {
    if (!(key in previous)) continue;
    snapshot[key] = Object.assign({}, previous[key], ...written.map((w) => w.snapshot[key] ?? {}));
  }
  const entry: JournalEntry = {
    idx,
    version: last.version,
    when: Math.max(now, last.when + 1),
    tag,
    breakpoints: true,
  };
  const files = new Map<string, string>([
    [`${MIGRATIONS_DIR}/${tag}.sql`, sql],
    [JOURNAL, json({ ...journal, entries: [...journal.entries, entry] })],
    [snapshotPath(idx), json(snapshot)],
  ]);
  return { files, notes };
};
