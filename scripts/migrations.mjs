// Regenerates the migration of every table set in templates/tables/ (see src/engine/migrations.ts):
// for each set and database, a temporary project holds the set's drizzle files (plus the sets they
// import, generated first as a baseline), drizzle-kit writes the SQL, and the SQL and the snapshot
// (only this set's tables) are stored as templates/tables/<set>/<db>.sql and <db>.snapshot.json.
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

const run = (set, db, sets, nodeModules) => {
  const dir = mkdtempSync(join(tmpdir(), `omnistack-migrations-${set}-`));
  try {
    symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const nodeModules = sharedNodeModules();
const all = readdirSync(tablesRoot, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const set of wanted) for (const db of Object.keys(DIALECTS)) run(set, db, all, nodeModules);
