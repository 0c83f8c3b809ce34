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
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The files of the one initial migration for these table sets (in order), or none when there are no tables. */
export const initialMigration = (sets: readonly string[], db: string): Map<string, string> => {
  const files = new Map<string, string>();
  if (sets.length === 0) return files;
  const fragments = sets.map((name) => readFragment(name, db));
  const sql = `${fragments.map((f) => f.sql).join('\n--> statement-breakpoint\n')}\n`;
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
