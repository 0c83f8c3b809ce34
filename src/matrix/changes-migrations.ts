/**
 * The migration history after `omnistack add`, compared by meaning: `create` for the same answers
 * writes one `0000_initial`, while an add appends a migration to the history the project had (it never
 * rewrites one a database may have applied). So: the old files are untouched, the journal is a proper
 * chain, and its last snapshot describes exactly the schema create's snapshot describes.
 */
import { MIGRATIONS_DIR } from '../engine/migrations.js';
import type { Tree } from '../engine/tree.js';
import { isMigrationHistory } from './changes-tree.js';

const JOURNAL = `${MIGRATIONS_DIR}/meta/_journal.json`;
const ROOT_ID = '00000000-0000-0000-0000-000000000000';

interface Journal {
  dialect: string;
  entries: { idx: number; when: number; tag: string }[];
}

const snapshotPath = (idx: number): string => `${MIGRATIONS_DIR}/meta/${String(idx).padStart(4, '0')}_snapshot.json`;
const sqlPath = (tag: string): string => `${MIGRATIONS_DIR}/${tag}.sql`;

const parse = <T>(text: string | undefined): T | undefined =>
  text === undefined ? undefined : (JSON.parse(text) as T);

/** JSON with object keys sorted, so two snapshots compare by content, not by key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

/** A snapshot without its place in the chain. */
const schemaOf = (snapshot: Record<string, unknown> | undefined): string => {
  const { id: _id, prevId: _prevId, ...schema } = snapshot ?? {};
  return canonical(schema);
};

const lastSnapshot = (tree: Tree, journal: Journal): Record<string, unknown> | undefined => {
  const last = journal.entries.at(-1);
  return last ? parse(tree.get(snapshotPath(last.idx))) : undefined;
};

/** Problems with `actual`'s history, which grew from `previous`'s and must mean what `expected`'s means. */
export const migrationProblems = (actual: Tree, expected: Tree, previous: Tree): string[] => {
  const out: string[] = [];
  const journal = parse<Journal>(actual.get(JOURNAL));
  const want = parse<Journal>(expected.get(JOURNAL));
  const files = [...actual.keys()].filter(isMigrationHistory);
  if (!want) return files.length ? [`${MIGRATIONS_DIR}: ${files.join(', ')} where create writes no migration`] : [];
  if (!journal) return [`${JOURNAL}: missing`];

  const before = parse<Journal>(previous.get(JOURNAL));
  if (before && canonical(journal.entries.slice(0, before.entries.length)) !== canonical(before.entries))
    out.push(`${JOURNAL}: the entries it had were changed`);
  for (const [path, text] of previous)
    if (isMigrationHistory(path) && path !== JOURNAL && actual.get(path) !== text)
      out.push(`${path}: rewritten (the history is append-only)`);

  if (journal.dialect !== want.dialect)
    out.push(`${JOURNAL}: dialect ${journal.dialect}, create writes ${want.dialect}`);
  const chain = new Set([JOURNAL]);
  let prevId = ROOT_ID;
  let when = Number.NEGATIVE_INFINITY;
  journal.entries.forEach((e, i) => {
    if (e.idx !== i) out.push(`${JOURNAL}: entry ${i} has idx ${e.idx}`);
    if (!(e.when > when)) out.push(`${JOURNAL}: entry ${i} is not newer than the one before`);
    when = e.when;
    chain.add(sqlPath(e.tag)).add(snapshotPath(i));
    if (!actual.get(sqlPath(e.tag))?.trim()) out.push(`${sqlPath(e.tag)}: missing or empty`);
    const snapshot = parse<{ id?: string; prevId?: string }>(actual.get(snapshotPath(i)));
    if (!snapshot) out.push(`${snapshotPath(i)}: missing`);
    else if (snapshot.prevId !== prevId)
      out.push(`${snapshotPath(i)}: prevId ${snapshot.prevId}, the snapshot before is ${prevId}`);
    prevId = snapshot?.id ?? '';
  });
  const stray = files.filter((p) => !chain.has(p));
  if (stray.length) out.push(`${MIGRATIONS_DIR}: not in the journal: ${stray.join(', ')}`);

  if (schemaOf(lastSnapshot(actual, journal)) !== schemaOf(lastSnapshot(expected, want)))
    out.push(`${MIGRATIONS_DIR}: the last snapshot's schema differs from the one create writes`);
  return out;
};

/** Table names in the last snapshot of a history (none without one). */
export const tablesIn = (tree: Tree): string[] => {
  const journal = parse<Journal>(tree.get(JOURNAL));
  const snapshot = journal && lastSnapshot(tree, journal);
  return Object.values((snapshot?.tables ?? {}) as Record<string, { name: string }>).map((t) => t.name);
};
