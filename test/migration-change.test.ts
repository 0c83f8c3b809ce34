import { describe, expect, it } from 'vitest';
import { type Answers, DEFAULT_ANSWERS } from '../src/choices.js';
import { activeModules } from '../src/engine/compose.js';
import { INITIAL_TAG, initialMigration, MIGRATIONS_DIR, migrationChange } from '../src/engine/migrations.js';

const JOURNAL = `${MIGRATIONS_DIR}/meta/_journal.json`;
const snapshotAt = (idx: number) => `${MIGRATIONS_DIR}/meta/${String(idx).padStart(4, '0')}_snapshot.json`;
/** Later than create's fixed `when`, so the journal takes it as is. */
const NOW = 1_800_000_000_000;

/** The table sets the real modules pick for these answers, in module order. */
const setsFor = (partial: Partial<Answers>, db: string): string[] => {
  const a = { ...DEFAULT_ANSWERS, ...partial, db } as Answers;
  return activeModules(a).flatMap((m) => m.tables?.(a) ?? []);
};

const reader = (files: Map<string, string>) => (path: string) => files.get(path);
const parse = (files: Map<string, string>, path: string) => JSON.parse(files.get(path) ?? 'null');
const tags = (files: Map<string, string>): string[] => parse(files, JOURNAL).entries.map((e: { tag: string }) => e.tag);
/** A snapshot's content: every table, enum ... without the ids chaining it to the previous one. */
const content = ({ id: _id, prevId: _prevId, ...rest }: Record<string, unknown>) => rest;

const ADDS = [
  {
    name: 'storage none -> local (files)',
    from: { auth: 'none', storage: 'none' },
    to: { auth: 'none', storage: 'local' },
    tag: '0001_add_files',
    required: [],
  },
  {
    name: 'auth none -> jwt with files (users; projects and files get owners)',
    from: { auth: 'none', storage: 'local' },
    to: { auth: 'jwt', storage: 'local' },
    tag: '0001_add_users_projects_owned_files_owned',
    required: ['projects.owner_id', 'files.owner_id'],
  },
  {
    name: 'auth none -> clerk (users, owned projects, webhook events)',
    from: { auth: 'none', storage: 'none' },
    to: { auth: 'clerk', storage: 'none' },
    tag: '0001_add_users_projects_owned_webhook_events',
    required: ['projects.owner_id'],
  },
] as const;

describe.each(['sqlite', 'postgres'])('migrationChange on %s', (db) => {
  it.each(ADDS)('$name appends $tag, ending where create would start', ({ from, to, tag, required }) => {
    const before = initialMigration(setsFor(from, db), db);
    const { files, notes } = migrationChange(reader(before), setsFor(from, db), setsFor(to, db), db, NOW);

    expect([...files.keys()].sort()).toEqual([`${MIGRATIONS_DIR}/${tag}.sql`, JOURNAL, snapshotAt(1)].sort());
    expect(files.get(`${MIGRATIONS_DIR}/${tag}.sql`)).toMatch(/\S\n$/);
    const journal = parse(files, JOURNAL);
    expect(journal.entries.map((e: { idx: number }) => e.idx)).toEqual([0, 1]);
    expect(tags(files)).toEqual([INITIAL_TAG, tag]);
    expect(journal.entries[1]).toMatchObject({ when: NOW, breakpoints: true, version: journal.entries[0].version });

    const first = parse(before, snapshotAt(0));
    const last = parse(files, snapshotAt(1));
    expect(last.prevId).toBe(first.id);
    expect(last.id).not.toBe(first.id);
    const created = parse(initialMigration(setsFor(to, db), db), snapshotAt(0));
    expect(content(last)).toEqual(content(created));

    expect(notes).toHaveLength(required.length);
    for (const [i, column] of required.entries()) {
      expect(notes[i]).toContain(`${column} is a new NOT NULL column`);
      expect(notes[i]).toContain(`${tag}.sql`);
    }
  });

  it("appends after the user's own migrations and keeps them", () => {
    const from = setsFor({ auth: 'none', storage: 'none' }, db);
    const to = setsFor({ auth: 'none', storage: 'local' }, db);
    const project = initialMigration(from, db);
    const initial = parse(project, snapshotAt(0));
    const mineTable = { name: 'notes', columns: { id: { name: 'id', type: 'text', notNull: true } } };
    const mine = { ...initial, id: 'mine-id', prevId: initial.id, tables: { ...initial.tables, notes: mineTable } };
    const journal = parse(project, JOURNAL);
    const mineWhen = NOW + 5_000;
    journal.entries.push({ ...journal.entries[0], idx: 1, tag: '0001_mine', when: mineWhen });
    project.set(JOURNAL, JSON.stringify(journal));
    project.set(snapshotAt(1), JSON.stringify(mine));

    const { files } = migrationChange(reader(project), from, to, db, NOW);
    expect(tags(files)).toEqual([INITIAL_TAG, '0001_mine', '0002_add_files']);
    expect(parse(files, JOURNAL).entries[2]).toMatchObject({ idx: 2, when: mineWhen + 1 });
    expect(files.has(`${MIGRATIONS_DIR}/0002_add_files.sql`)).toBe(true);
    const last = parse(files, snapshotAt(2));
    expect(last.prevId).toBe('mine-id');
    expect(last.tables.notes).toEqual(mineTable);
    expect(Object.keys(last.tables)).toEqual(expect.arrayContaining(Object.keys(initial.tables)));
    expect(Object.keys(last.tables).length).toBe(Object.keys(initial.tables).length + 2);
  });

  it('removing auth writes nothing and says what stays in the database', () => {
    const from = setsFor({ auth: 'jwt', storage: 'local' }, db);
    const to = setsFor({ auth: 'none', storage: 'local' }, db);
    const { files, notes } = migrationChange(reader(initialMigration(from, db)), from, to, db, NOW);
    expect(files.size).toBe(0);
    const text = notes.join('\n');
    expect(notes).toHaveLength(3);
    for (const left of ['projects.owner_id', 'files.owner_id', 'audit_log, users', 'npm run db:generate']) {
      expect(text).toContain(left);
    }
    expect(text).toContain('inserts into projects fail until it is dropped or made nullable');
  });

  it('removing files writes nothing and names the table left', () => {
    const from = setsFor({ auth: 'none', storage: 'local' }, db);
    const to = setsFor({ auth: 'none', storage: 'none' }, db);
    const { files, notes } = migrationChange(reader(initialMigration(from, db)), from, to, db, NOW);
    expect(files.size).toBe(0);
    expect(notes).toEqual([expect.stringContaining('files removed: its tables (files) stay in the database')]);
  });

  it('adding back what a remove left behind writes nothing: the tables are still there', () => {
    const full = setsFor({ auth: 'jwt', storage: 'local' }, db);
    const reduced = setsFor({ auth: 'none', storage: 'none' }, db);
    const { files, notes } = migrationChange(reader(initialMigration(full, db)), reduced, full, db, NOW);
    expect(files.size).toBe(0);
    expect(notes).toEqual([]);
  });

  it('no change writes nothing; a project without migrations gets the initial one', () => {
    const sets = setsFor({ auth: 'jwt', storage: 'local' }, db);
    expect(migrationChange(reader(initialMigration(sets, db)), sets, sets, db, NOW)).toEqual({
      files: new Map(),
      notes: [],
    });
    expect(migrationChange(() => undefined, [], sets, db, NOW)).toEqual({
      files: initialMigration(sets, db),
      notes: [],
    });
  });
});
