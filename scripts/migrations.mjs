// Regenerates the migration of every table set in templates/tables/ (see src/engine/migrations.ts):
// for each set and database, a temporary project holds the set's drizzle files (plus the sets they
// import, generated first as a baseline), drizzle-kit writes the SQL, and the SQL and the snapshot
// (only this set's tables) are stored as templates/tables/<set>/<db>.sql and <db>.snapshot.json.
// Then, for each variant pair (two sets holding the same tables, like projects and projects-owned) where
// the second only adds to the first, the SQL turning the first into the second is stored as
// templates/tables/<to>/<db>.from-<from>.sql: `omnistack add` appends it when a variant replaces another.
// Usage: npm run migrations [-- <set>...]   (needs the shared install: npm run matrix once)
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tablesRoot = join(root, 'templates', 'tables');
const DIALECTS = { sqlite: 'sqlite', postgres: 'postgresql' };

const sharedNodeModules = () => {
  const cache = join(root, '.cache', 'deps');
  const found = (existsSync(cache) ? readdirSync(cache) : [])
    .map((key) => join(cache, key, 'node_modules'))
    .find((dir) => existsSync(join(dir, 'drizzle-kit')) && existsSync(join(dir, 'drizzle-orm')));
  if (!found)
    throw new Error('no shared install with drizzle-kit in .cache/deps: run `npm run matrix -- --tier 1` once');
  return found;
};

const schemaDir = (set, db) => join(tablesRoot, set, db, 'src', 'db', 'schema');
const tableFiles = (set, db) => readdirSync(schemaDir(set, db)).filter((f) => f.endsWith('.ts'));

/** Sets whose files this set imports (`from './users.js'`), transitively, dependencies first. */
const requiredSets = (set, db, sets, seen = new Set()) => {
  const owners = new Map(sets.flatMap((s) => tableFiles(s, db).map((f) => [f.replace(/\.ts$/, ''), s])));
  const out = [];
  for (const file of tableFiles(set, db)) {
    const text = readFileSync(join(schemaDir(set, db), file), 'utf8');
    for (const [, name] of text.matchAll(/from '\.\/([\w-]+)\.js'/g)) {
      const owner = owners.get(name);
      if (!owner || owner === set || seen.has(owner)) continue;
      seen.add(owner);
      out.push(...requiredSets(owner, db, sets, seen), owner);
    }
  }
  return out;
};

const generate = (dir, db, sets, tag, nodeModules) => {
  const schema = join(dir, 'src', 'db', 'schema');
  for (const s of sets) cpSync(schemaDir(s, db), schema, { recursive: true });
  const files = sets.flatMap((s) => tableFiles(s, db));
  writeFileSync(
    join(schema, 'index.ts'),
    files.map((f) => `export * from './${f.replace(/\.ts$/, '.js')}';\n`).join(''),
  );
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    `export default { dialect: '${DIALECTS[db]}', schema: './src/db/schema/index.ts', out: './src/db/migrations' };\n`,
  );
  execFileSync(process.execPath, [join(nodeModules, 'drizzle-kit', 'bin.cjs'), 'generate', `--name=${tag}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const journal = JSON.parse(readFileSync(join(dir, 'src/db/migrations/meta/_journal.json'), 'utf8'));
  const last = journal.entries.at(-1);
  const idx = String(last.idx).padStart(4, '0');
  return {
    sql: readFileSync(join(dir, 'src/db/migrations', `${last.tag}.sql`), 'utf8'),
    snapshot: JSON.parse(readFileSync(join(dir, 'src/db/migrations/meta', `${idx}_snapshot.json`), 'utf8')),
  };
};

const only = (record, keep) => Object.fromEntries(Object.entries(record ?? {}).filter(([k]) => keep(k)));

/** A temporary project linked to the shared install, removed after `work` runs in it. */
const inProject = (name, nodeModules, work) => {
  const dir = mkdtempSync(join(tmpdir(), `omnistack-migrations-${name}-`));
  try {
    symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const run = (set, db, sets, nodeModules) =>
  inProject(set, nodeModules, (dir) => {
    const required = requiredSets(set, db, sets);
    const base = required.length ? generate(dir, db, required, 'base', nodeModules).snapshot : {};
    const { sql, snapshot } = generate(dir, db, [...required, set], set, nodeModules);
    // Keep only what this set added; the sets it requires store their own.
    for (const key of ['tables', 'enums', 'schemas', 'sequences', 'roles', 'policies', 'views']) {
      if (key in snapshot) snapshot[key] = only(snapshot[key], (k) => !(k in (base[key] ?? {})));
    }
    snapshot.id = '00000000-0000-0000-0000-000000000000';
    snapshot.prevId = '00000000-0000-0000-0000-000000000000';
    writeFileSync(join(tablesRoot, set, `${db}.sql`), sql);
    writeFileSync(join(tablesRoot, set, `${db}.snapshot.json`), `${JSON.stringify(snapshot, null, 2)}\n`);
    console.log(`templates/tables/${set}/${db}.sql`);
  });

const storedTables = (set, db) =>
  JSON.parse(readFileSync(join(tablesRoot, set, `${db}.snapshot.json`), 'utf8')).tables ?? {};

/** True when `to` holds some of `from`'s tables and keeps every one of their columns (no data dropped). */
const extendsSet = (from, to, db) => {
  const before = storedTables(from, db);
  const after = storedTables(to, db);
  const shared = Object.keys(before).filter((k) => k in after);
  return (
    shared.length > 0 &&
    Object.entries(before).every(
      ([k, table]) => k in after && Object.keys(table.columns).every((c) => c in after[k].columns),
    )
  );
};

const BREAKPOINT = '--> statement-breakpoint';
const statements = (sql) =>
  sql
    .split(BREAKPOINT)
    .map((st) => st.trim())
    .filter(Boolean);

/**
 * drizzle-kit 0.31 adds a SQLite column with a foreign key as `ALTER TABLE t ADD c ... REFERENCES u(id)`,
 * losing its ON DELETE action, which a fresh project's table has. Such a table is recreated instead, the
 * way drizzle-kit changes SQLite foreign keys: the to-set's CREATE TABLE and indexes, rows copied over.
 */
const recreateSqliteFkTables = (sql, from, to) => {
  const before = storedTables(from, 'sqlite');
  const created = statements(readFileSync(join(tablesRoot, to, 'sqlite.sql'), 'utf8'));
  const fkTables = new Set(
    statements(sql).flatMap((st) => st.match(/^ALTER TABLE `(\w+)` ADD `\w+` .* REFERENCES /)?.[1] ?? []),
  );
  const touches = (st, table) =>
    st.startsWith(`ALTER TABLE \`${table}\``) ||
    st.includes(` ON \`${table}\``) ||
    Object.keys(before[table].indexes).some((index) => st === `DROP INDEX \`${index}\`;`);
  const out = [];
  for (const st of statements(sql)) {
    const table = [...fkTables].find((t) => touches(st, t));
    if (!table) out.push(st);
    else if (!out.includes(`DROP TABLE \`${table}\`;`)) out.push(...recreate(table, before, created));
  }
  return out.join(`${BREAKPOINT}\n`);
};

const recreate = (table, before, created) => {
  const columns = Object.keys(before[table].columns)
    .map((c) => `"${c}"`)
    .join(', ');
  const create = created.find((st) => st.startsWith(`CREATE TABLE \`${table}\` (`));
  return [
    'PRAGMA foreign_keys=OFF;',
    create.replace(`CREATE TABLE \`${table}\``, `CREATE TABLE \`__new_${table}\``),
    `INSERT INTO \`__new_${table}\`(${columns}) SELECT ${columns} FROM \`${table}\`;`,
    `DROP TABLE \`${table}\`;`,
    `ALTER TABLE \`__new_${table}\` RENAME TO \`${table}\`;`,
    'PRAGMA foreign_keys=ON;',
    ...created.filter((st) => st.includes(` ON \`${table}\` (`)),
  ];
};

/** The SQL turning `from`'s tables into `to`'s: baseline `from` plus what `to` needs, then `to`. */
const transition = (from, to, db, sets, nodeModules) =>
  inProject(`${to}-from-${from}`, nodeModules, (dir) => {
    const required = requiredSets(to, db, sets);
    const baseline = [...new Set([...requiredSets(from, db, sets), ...required, from])];
    generate(dir, db, baseline, 'base', nodeModules);
    const { sql } = generate(dir, db, [...required, to], `${to}-from-${from}`, nodeModules);
    const fixed = db === 'sqlite' ? recreateSqliteFkTables(sql, from, to) : sql;
    writeFileSync(join(tablesRoot, to, `${db}.from-${from}.sql`), fixed);
    console.log(`templates/tables/${to}/${db}.from-${from}.sql`);
  });

const nodeModules = sharedNodeModules();
const all = readdirSync(tablesRoot, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const set of wanted) for (const db of Object.keys(DIALECTS)) run(set, db, all, nodeModules);
for (const db of Object.keys(DIALECTS)) {
  for (const from of all) {
    for (const to of all) {
      const touched = wanted.includes(from) || wanted.includes(to);
      if (from !== to && touched && extendsSet(from, to, db)) transition(from, to, db, all, nodeModules);
    }
  }
}
