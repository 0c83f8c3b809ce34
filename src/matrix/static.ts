/**
 * Tier-0 checks on a rendered tree, without touching disk. File-level checks (syntax of JSON,
 * YAML, TOML, TypeScript) are memoized by content, so the thousands of identical files across
 * combinations are parsed once.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';
import { parse as parseToml } from 'smol-toml';
import { parseAllDocuments } from 'yaml';
import { CATALOG } from '../catalog.js';
import type { Answers } from '../choices.js';
import { generatedFiles, moduleFiles, TOOL_PACKAGE } from '../engine/compose.js';
import { STATE_FILE, toolVersion } from '../engine/state.js';
import type { Tree } from '../engine/tree.js';
import { MODULES } from '../modules/index.js';
import type { ModuleManifest } from '../modules/types.js';

export interface Problem {
  check: 'file-set' | 'template-syntax' | 'json' | 'yaml' | 'toml' | 'typescript' | 'catalog' | 'env' | 'answers';
  path?: string;
  message: string;
}

/** Files the pipeline builds in code rather than from a template folder. */
export const GENERATED_FILES = ['package.json', '.env.example', 'omnistack.json', STATE_FILE] as const;

const templatePaths = (m: ModuleManifest, answers: Answers): string[] => moduleFiles(m, answers).map((t) => t.path);

/** `{{` left in output; `${{ ... }}` (GitHub Actions expressions) is legitimate. */
const LEFTOVER = /(?<!\$)\{\{/;

const leftoverLine = (text: string): number => {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => LEFTOVER.test(l));
  return i + 1;
};

/** JSON with comments and trailing commas (tsconfig, biome.json, .vscode): strip them, outside strings. */
export const stripJsonc = (text: string): string => {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++;
      i++;
    } else out += ch;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
};

const JSONC = /(^|\/)(tsconfig[^/]*|jsconfig[^/]*|biome|\.vscode\/[^/]+)\.json$/;

const TS_LOADERS: Record<string, 'ts' | 'tsx' | 'js' | 'jsx'> = {
  ts: 'ts',
  mts: 'ts',
  cts: 'ts',
  tsx: 'tsx',
  js: 'js',
  mjs: 'js',
  cjs: 'js',
  jsx: 'jsx',
};

/** Loaded at run time: esbuild's JS API cannot be bundled into dist/ (it locates its native binary from its own path). */
const { transformSync } = createRequire(import.meta.url)('esbuild') as typeof Esbuild;

const fileCache = new Map<string, Problem[]>();
export const fileCacheStats = { hits: 0, misses: 0 };

/** Syntax of one file by its extension; memoized on (path kind, content). */
export const checkFile = (path: string, text: string): Problem[] => {
  const ext = path.slice(path.lastIndexOf('.') + 1);
  const kind = JSONC.test(path) ? 'jsonc' : ext;
  const key = `${kind}\0${createHash('sha1').update(text).digest('base64')}`;
  const hit = fileCache.get(key);
  if (hit) {
    fileCacheStats.hits++;
    return hit.map((p) => ({ ...p, path }));
  }
  fileCacheStats.misses++;
  const problems: Problem[] = [];
  // A generated project's own Handlebars templates (`*.handlebars`) are meant to hold `{{`.
  if (kind !== 'handlebars' && LEFTOVER.test(text))
    problems.push({ check: 'template-syntax', message: `leftover "{{" at line ${leftoverLine(text)}` });
  try {
    if (kind === 'json') JSON.parse(text);
    else if (kind === 'jsonc') JSON.parse(stripJsonc(text));
  } catch (err) {
    problems.push({ check: 'json', message: (err as Error).message });
  }
  if (kind === 'yaml' || kind === 'yml') {
    for (const doc of parseAllDocuments(text) as Iterable<{ errors: { message: string }[] }>)
      for (const e of doc.errors) problems.push({ check: 'yaml', message: e.message.split('\n')[0] as string });
  }
  if (kind === 'toml') {
    try {
      parseToml(text);
    } catch (err) {
      problems.push({ check: 'toml', message: (err as Error).message.split('\n')[0] as string });
    }
  }
  const loader = TS_LOADERS[kind];
  if (loader) {
    try {
      transformSync(text, { loader, format: 'esm', logLevel: 'silent' });
    } catch (err) {
      const e = err as { errors?: { text: string; location?: { line: number; column: number } }[] };
      const first = e.errors?.[0];
      problems.push({
        check: 'typescript',
        message: first ? `${first.text} at ${first.location?.line}:${first.location?.column}` : String(err),
      });
    }
  }
  fileCache.set(key, problems);
  return problems.map((p) => ({ ...p, path }));
};

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Every check tier 0 makes on one combination's rendered tree. */
export const checkTree = (tree: Tree, answers: Answers): Problem[] => {
  const problems: Problem[] = [];
  const active = MODULES.filter((m) => m.when(answers));
  const inactive = MODULES.filter((m) => !m.when(answers));

  // File set: each active module's files present; nothing only an inactive module writes.
  const expected = new Set<string>([
    ...generatedFiles(active, answers),
    ...active.flatMap((m) => templatePaths(m, answers)),
  ]);
  for (const p of expected)
    if (!tree.has(p)) problems.push({ check: 'file-set', path: p, message: 'expected from an active module, missing' });
  for (const p of tree.keys()) {
    if (expected.has(p)) continue;
    const from = inactive.filter((m) => templatePaths(m, answers).includes(p)).map((m) => m.id);
    problems.push({
      check: 'file-set',
      path: p,
      message: from.length ? `written although only inactive module(s) ${from.join(', ')} own it` : 'no module owns it',
    });
  }
  for (const p of tree.keys())
    if (p.endsWith('.hbs')) problems.push({ check: 'template-syntax', path: p, message: '.hbs suffix left in path' });

  for (const [path, text] of tree) if (path !== STATE_FILE) problems.push(...checkFile(path, text));

  // package.json: every dependency from the catalog at its exact version; exactly the active modules' ones,
  // and this tool at this version (the project's `omnistack` command).
  try {
    const pkg = JSON.parse(tree.get('package.json') ?? '{}') as Record<string, Record<string, string> | undefined>;
    const pins: Record<string, { version: string }> = { ...CATALOG, [TOOL_PACKAGE]: { version: toolVersion() } };
    for (const field of ['dependencies', 'devDependencies'] as const) {
      const deps = pkg[field] ?? {};
      for (const [name, version] of Object.entries(deps)) {
        const entry = pins[name];
        if (!entry)
          problems.push({ check: 'catalog', path: 'package.json', message: `${field}.${name} is not in the catalog` });
        else if (entry.version !== version)
          problems.push({
            check: 'catalog',
            path: 'package.json',
            message: `${field}.${name} is ${version}, the catalog pins ${entry.version}`,
          });
      }
      const want = [
        ...new Set(active.flatMap((m) => m[field] ?? [])),
        ...(field === 'devDependencies' ? [TOOL_PACKAGE] : []),
      ] as string[];
      if (!sameSet(Object.keys(deps), want))
        problems.push({
          check: 'catalog',
          path: 'package.json',
          message: `${field} are [${Object.keys(deps).sort().join(', ')}], the active modules ask for [${want.sort().join(', ')}]`,
        });
    }
  } catch {
    // reported by the JSON check
  }

  // .env.example: KEY=value lines, exactly the active modules' variables.
  const envText = tree.get('.env.example') ?? '';
  const keys: string[] = [];
  envText.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const m = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (m) keys.push(m[1] as string);
    else problems.push({ check: 'env', path: '.env.example', message: `line ${i + 1} is not KEY=value: ${line}` });
  });
  const wantEnv = [...new Set(active.flatMap((m) => (m.env ?? []).map((v) => v.name)))];
  const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (dupes.length)
    problems.push({ check: 'env', path: '.env.example', message: `declared twice: ${dupes.join(', ')}` });
  if (!sameSet([...new Set(keys)], wantEnv))
    problems.push({
      check: 'env',
      path: '.env.example',
      message: `variables [${keys.join(', ')}], the active modules declare [${wantEnv.join(', ')}]`,
    });

  // omnistack.json records exactly these answers.
  try {
    const recorded = (JSON.parse(tree.get('omnistack.json') ?? '{}') as { answers?: unknown }).answers;
    if (JSON.stringify(recorded) !== JSON.stringify(answers))
      problems.push({ check: 'answers', path: 'omnistack.json', message: `records ${JSON.stringify(recorded)}` });
  } catch {
    // reported by the JSON check
  }
  return problems;
};
