// The few pure helpers every template may use, registered on the full compiler (development)
// and on the runtime (published build). Only type imports here: scripts/build.mjs loads this file alone.
import type Handlebars from 'handlebars';

/** The full compiler and the runtime-only build both have this. */
export type HelperHost = Pick<typeof Handlebars, 'registerHelper'>;

/**
 * Biome's natural order: character by character ignoring case, an upper-case letter before its
 * lower-case twin, runs of digits by value (`a9` before `a10`).
 */
export const naturalCompare = (a: string, b: string): number => {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const da = /^\d+/.exec(a.slice(i))?.[0];
    const db = /^\d+/.exec(b.slice(j))?.[0];
    if (da && db) {
      if (Number(da) !== Number(db)) return Number(da) - Number(db);
      i += da.length;
      j += db.length;
      continue;
    }
    const ca = a[i] as string;
    const cb = b[j] as string;
    if (ca.toLowerCase() !== cb.toLowerCase()) return ca.toLowerCase() < cb.toLowerCase() ? -1 : 1;
    if (ca !== cb) return ca === ca.toUpperCase() ? -1 : 1;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
};

/** Where Biome puts a source: `node:` and other protocols, packages, then paths, the farthest first. */
const sourceRank = (source: string): number => {
  if (/^[a-z]+:/.test(source)) return 0;
  if (!source.startsWith('.') && !source.startsWith('/')) return 1;
  if (source.startsWith('/')) return 2;
  const ups = /^(\.\.\/)*/.exec(source)?.[0].length ?? 0;
  return 1000 - ups; // '../../x' before '../x' before './x'
};

const compareSources = (a: string, b: string): number => {
  const rank = sourceRank(a) - sourceRank(b);
  if (rank !== 0) return rank;
  // Folder by folder, the file name without its extension (`cloudinary.js` before `cloudinary-auth.js`).
  const [sa, sb] = [a, b].map((s) => s.replace(/\.[a-z]+$/, '').split('/')) as [string[], string[]];
  for (let k = 0; k < Math.min(sa.length, sb.length); k++) {
    const c = naturalCompare(sa[k] as string, sb[k] as string);
    if (c !== 0) return c;
  }
  return sa.length - sb.length;
};

const STATEMENT = /^(import|export)( type)? (?:\{ ?(.*?) ?\}|(\* as \w+|\*|\w+)) from '([^']+)';$/;

interface Statement {
  keyword: string;
  type: boolean;
  source: string;
  /** A default or namespace binding (`x`, `* as x`, `*`); otherwise the named specifiers. */
  binding?: string;
  named: Set<string>;
}

/**
 * Sorts and merges a block of one-line import (or `export ... from`) statements the way Biome's
 * organizeImports does, so files assembled from several modules' lines pass `biome check` as written.
 */
export const sortImports = (block: string): string => {
  const statements = new Map<string, Statement>();
  for (const line of block.split('\n').map((l) => l.trim())) {
    if (line === '') continue;
    const m = STATEMENT.exec(line);
    if (!m) throw new Error(`sortImports: not a one-line import: ${line}`);
    const [, keyword = '', type, named = '', binding, source = ''] = m;
    const key = [keyword, type, source, binding].join(' ');
    const s = statements.get(key) ?? { keyword, type: Boolean(type), source, named: new Set<string>() };
    if (binding) s.binding = binding;
    for (const n of named.split(',')) if (n.trim()) s.named.add(n.trim());
    statements.set(key, s);
  }
  const bare = (specifier: string) => specifier.replace(/^type /, '');
  const written = (s: Statement) =>
    s.binding ?? `{ ${[...s.named].sort((x, y) => naturalCompare(bare(x), bare(y))).join(', ')} }`;
  return [...statements.values()]
    .sort((a, b) => compareSources(a.source, b.source) || Number(b.type) - Number(a.type))
    .map((s) => `${s.keyword}${s.type ? ' type' : ''} ${written(s)} from '${s.source}';\n`)
    .join('');
};

export const registerHelpers = (hbs: HelperHost): void => {
  // `{{#imports}}...{{/imports}}`: the import lines inside, sorted and merged as Biome would.
  hbs.registerHelper('imports', function (this: unknown, options: { fn: (context: unknown) => string }) {
    return sortImports(options.fn(this));
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // Templates are compiled with noEscape, so a helper's string output is used as is.
  hbs.registerHelper('json', (v: unknown) => JSON.stringify(v));
  // `{{slug name}}`: my_api.v2 -> my-api-v2, for hosts whose names allow only a-z, 0-9 and dashes (Fly).
  hbs.registerHelper('slug', (v: string) =>
    v
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, ''),
  );
  // `{{join slots.dataDir "what"}}` -> "SQLite database, local uploads"
  hbs.registerHelper('join', (list: Record<string, unknown>[], key: string) => list.map((x) => x[key]).join(', '));
  // `{{withPm body pm}}`: a module's Markdown with its `npm run x` / `npm install` said the chosen way.
  hbs.registerHelper('withPm', (text: string, pm: { install: string; run: string }) =>
    text.replace(/npm run(\s)/g, `${pm.run}$1`).replaceAll('npm install', pm.install),
  );
  // `{{#each (words command)}}`: 'node dist/worker.js' -> ['node', 'dist/worker.js'] (exec form in YAML lists).
  hbs.registerHelper('words', (text: string) => text.split(' '));
  // `{{#each (where slots.services "render" "database")}}`: the entries whose `key` is `value`.
  hbs.registerHelper('where', (list: Record<string, unknown>[], key: string, value: unknown) =>
    list.filter((x) => x[key] === value),
  );
};

/** Options for every template: no HTML escaping (we write code), a missing key is an error. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;
