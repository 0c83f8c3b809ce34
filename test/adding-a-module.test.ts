/**
 * Follows docs/adding-a-module.md: builds its example module from the guide's own code blocks (the
 * choice line, the manifest, the MODULES line, the template files), composes projects with the real
 * MODULES plus that module, and checks what the guide says lands where. Then checks that every repo
 * path and code name the guide quotes exists, so the guide stays true.
 *
 * The one liberty: the template folder is written to a temporary folder, not into templates/ (other
 * work shares this checkout), and the manifest's `templateDir` points there from TEMPLATES_ROOT.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, type PackageName, versionOf } from '../src/catalog.js';
import { type Answers, DEFAULT_ANSWERS, type DimensionKey, dimension } from '../src/choices.js';
import { activeModules, compose } from '../src/engine/compose.js';
import { UsageError } from '../src/engine/errors.js';
import { parseAnswers, resolveAnswers } from '../src/engine/resolve.js';
import { STATE_FILE } from '../src/engine/state.js';
import { TEMPLATES_ROOT } from '../src/engine/templates.js';
import type { Tree } from '../src/engine/tree.js';
import { checkFile } from '../src/matrix/static.js';
import { MODULES } from '../src/modules/index.js';
import { type ModuleManifest, SLOT_NAMES } from '../src/modules/types.js';
import { ROOT } from './helpers.js';

const GUIDE_PATH = join(ROOT, 'docs', 'adding-a-module.md');
const GUIDE = readFileSync(GUIDE_PATH, 'utf8');

/** The guide's ```ts blocks whose first line is `// <label>`: the label names the file (or the place) they belong to. */
const blocks = [...GUIDE.matchAll(/```ts\n\/\/ ([^\n]+)\n([\s\S]*?)```/g)].map(([, label, body]) => ({
  label: label as string,
  body: body as string,
}));

const block = (label: RegExp) => {
  const found = blocks.filter((b) => label.test(b.label));
  expect(found, `one code block labelled ${label}`).toHaveLength(1);
  return found[0] as { label: string; body: string };
};

/** Every file of the repo under these folders, and every folder, as `a/b` paths. */
const walk = (top: string): string[] =>
  readdirSync(join(ROOT, top), { withFileTypes: true, recursive: true })
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'))
    .concat(top);

describe('docs/adding-a-module.md, followed', () => {
  // Step 1: the choice, as the guide writes it.
  const choiceBlock = block(/^src\/choices\.ts\b/);
  const dimKey = /in the (\w+) dimension/.exec(choiceBlock.label)?.[1] as DimensionKey;
  const [, value = '', label = ''] = /choice\('([^']+)', '([^']+)'\)/.exec(choiceBlock.body) ?? [];
  // Step 2: the manifest file and its place in MODULES.
  const manifestBlock = block(/^src\/modules\/[\w-]+\.ts$/);
  const registryBlock = block(/^src\/modules\/index\.ts\b/);
  const before = /before (\w+)/.exec(registryBlock.label)?.[1];
  // Step 3: the template files.
  const templateBlocks = blocks.filter((b) => b.label.startsWith('templates/'));

  let tmp = '';
  let toy: ModuleManifest;
  let registry: ModuleManifest[];
  let answers: Answers;
  let withToy: Tree;
  let withoutToy: Tree;
  const toyFiles = () => templateBlocks.map((b) => b.label.replace(/^templates\/[^/]+\//, '').replace(/\.hbs$/, ''));

  beforeAll(async () => {
    expect(dimKey, 'the choice block names its dimension').toBeTruthy();
    expect(value && label, 'the choice block holds choice(value, label)').toBeTruthy();
    // Before step 1 the CLI does not know the choice.
    expect(() => parseAnswers({ [dimKey]: value })).toThrow(UsageError);
    dimension(dimKey).choices.push({ value, label, implemented: true });

    tmp = mkdtempSync(join(tmpdir(), 'omnistack-guide-'));
    const manifestFile = join(tmp, 'modules', manifestBlock.label.replace(/^src\/modules\//, ''));
    mkdirSync(dirname(manifestFile), { recursive: true });
    writeFileSync(manifestFile, manifestBlock.body);
    const exported = Object.values(await import(pathToFileURL(manifestFile).href)) as ModuleManifest[];
    expect(exported).toHaveLength(1);
    const manifest = exported[0] as ModuleManifest;
    // The guide's manifest renders templates/<id>/ (no templateDir): write that folder elsewhere, point at it.
    expect(manifest.templateDir ?? manifest.templateDirs).toBeUndefined();
    for (const b of templateBlocks) {
      expect(b.label.startsWith(`templates/${manifest.id}/`), b.label).toBe(true);
      const file = join(tmp, 'templates', b.label.replace(/^templates\//, ''));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, b.body);
    }
    toy = { ...manifest, templateDir: relative(TEMPLATES_ROOT, join(tmp, 'templates', manifest.id)) };

    // Listed in MODULES where the guide says: before the module exported under that name.
    const byExport = new Map<string, ModuleManifest>();
    for (const f of readdirSync(join(ROOT, 'src', 'modules')).filter((n) => n.endsWith('.ts'))) {
      const mod = (await import(pathToFileURL(join(ROOT, 'src', 'modules', f)).href)) as Record<string, unknown>;
      for (const [name, v] of Object.entries(mod))
        if (MODULES.includes(v as ModuleManifest)) byExport.set(name, v as ModuleManifest);
    }
    const at = MODULES.indexOf(byExport.get(before ?? '') as ModuleManifest);
    expect(at, `MODULES holds ${before}`).toBeGreaterThan(0);
    registry = [...MODULES.slice(0, at), toy, ...MODULES.slice(at)];

    answers = resolveAnswers(parseAnswers({ [dimKey]: value }));
    withToy = compose({ name: 'my-api', answers }, registry);
    withoutToy = compose({ name: 'my-api', answers: DEFAULT_ANSWERS }, registry);
  });

  afterAll(() => {
    const choices = dimension(dimKey).choices;
    const i = choices.findIndex((c) => c.value === value);
    if (i >= 0) choices.splice(i, 1);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('step 1: the new choice parses and resolves; the module is on for it and off without it', () => {
    expect(answers[dimKey]).toEqual(dimension(dimKey).kind === 'many' ? [value] : value);
    expect(activeModules(answers, registry)).toContain(toy);
    expect(activeModules(DEFAULT_ANSWERS, registry)).not.toContain(toy);
  });

  it('step 3: the template folder lands at the same paths, .hbs rendered, other files verbatim', () => {
    for (const b of templateBlocks) {
      const path = b.label.replace(/^templates\/[^/]+\//, '').replace(/\.hbs$/, '');
      const text = withToy.get(path);
      expect(text, path).toBeDefined();
      if (b.label.endsWith('.hbs')) expect(text).not.toContain('{{');
      else expect(text).toBe(b.body);
      // Tier 0's checks of the file: it parses, no template syntax left.
      expect(checkFile(path, text as string)).toEqual([]);
    }
    expect(withToy.get('src/modules/stats/index.ts')).toContain("registry.setDefaultLabels({ app: 'my-api' });");
  });

  it('step 2: its env var lands in .env.example, src/env.ts and the README', () => {
    const v = toy.env?.[0];
    expect(v).toBeDefined();
    if (!v) return;
    expect(withToy.get('.env.example')).toContain(`# ${v.description}\n${v.name}=${v.example}\n`);
    expect(withToy.get('src/env.ts')).toContain(`  ${v.name}: ${v.schema},\n`);
    expect(withToy.get('README.md')).toContain(`- \`${v.name}\` (e.g. \`${v.example}\`): ${v.description}`);
  });

  it('step 5: its dependency comes from the catalog, at the catalog version', () => {
    const deps = toy.dependencies ?? [];
    expect(deps.length).toBeGreaterThan(0);
    const pkg = JSON.parse(withToy.get('package.json') as string) as { dependencies: Record<string, string> };
    for (const name of deps) {
      expect(CATALOG).toHaveProperty([name]);
      expect(pkg.dependencies[name], name).toBe(versionOf(name as PackageName));
    }
  });

  it('step 4: its slot entries land in the shared files (a route in src/app.ts, a README section)', () => {
    const app = withToy.get('src/app.ts') as string;
    for (const r of toy.slots?.routes ?? []) {
      for (const line of r.imports) expect(app).toContain(line);
      expect(app).toMatch(new RegExp(`\\.route\\('${r.path}', ${r.router.replace(/[()]/g, '\\$&')}\\)`));
    }
    const readme = withToy.get('README.md') as string;
    for (const s of toy.slots?.readme ?? []) expect(readme).toContain(`## ${s.title}\n\n${s.body}\n`);
    expect(readme).toContain(`- \`${toy.id}\`: ${toy.description}`);
  });

  it('records the module: its answers in omnistack.json, its files in .omnistack/files.json', () => {
    expect(JSON.parse(withToy.get('omnistack.json') as string).answers).toEqual(answers);
    const record = JSON.parse(withToy.get(STATE_FILE) as string) as Record<string, unknown>;
    for (const path of toyFiles()) expect(record).toHaveProperty([path]);
  });

  it('adds only its own files; without the choice it leaves nothing behind', () => {
    const added = [...withToy.keys()].filter((p) => !withoutToy.has(p));
    expect(added.sort()).toEqual(toyFiles().sort());
    expect([...withoutToy.keys()].filter((p) => !withToy.has(p))).toEqual([]);
    // Not chosen: byte for byte the project the real MODULES make.
    expect([...withoutToy]).toEqual([...compose({ name: 'my-api', answers: DEFAULT_ANSWERS })]);
    const leftovers = [...(toy.env ?? []).map((v) => v.name), ...(toy.dependencies ?? []).map((d) => `"${d}"`)];
    for (const [path, text] of withoutToy) {
      expect(toyFiles()).not.toContain(path);
      for (const word of leftovers) expect(text.includes(word), `${path} holds ${word}`).toBe(false);
    }
  });
});

describe('docs/adding-a-module.md stays true', () => {
  /** Inline code spans, outside fenced blocks. */
  const spans = [...GUIDE.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string);
  const repoPaths = ['src', 'templates', 'test', 'scripts', 'docs'].flatMap(walk);
  /** Paths a template folder writes into a project (`src/app.ts`, `test/helpers.ts`, `Dockerfile`, ...). */
  const projectPaths = walk('templates').flatMap((p) => {
    const parts = p.split('/').map((s) => (s.startsWith('_') ? `.${s.slice(1)}` : s.replace(/\.hbs$/, '')));
    return parts.flatMap((s, i) => (s === 'src' || s === 'test' ? [parts.slice(i).join('/')] : []));
  });
  const known = new Set([
    ...repoPaths,
    ...projectPaths,
    ...projectPaths.map((p) => p.split('/').slice(0, -1).join('/')),
  ]);

  it('every repo or project path it quotes exists (`<name>` and `*` match one path segment)', () => {
    const quoted = spans.filter((s) => /^(src|templates|test|scripts|docs)\/\S*$/.test(s));
    expect(quoted.length).toBeGreaterThan(20);
    for (const q of quoted) {
      const pattern = new RegExp(
        `^${q
          .replace(/\/$/, '')
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/<[^>]+>/g, '[^/]+')
          .replace(/\*/g, '[^/]*')}$`,
      );
      expect(
        [...known].some((p) => pattern.test(p)),
        q,
      ).toBe(true);
    }
  });

  it('every code name it quotes is defined: exports, env vars, generated files', () => {
    const sources = [...repoPaths, 'scripts']
      .filter((p) => /\.(ts|mjs|hbs)$/.test(p) && existsSync(join(ROOT, p)))
      .map((p) => readFileSync(join(ROOT, p), 'utf8'))
      .join('\n');
    // Env vars of the real modules and of the guide's example manifest.
    const envNames = new Set([
      ...MODULES.flatMap((m) => (m.env ?? []).map((v) => v.name)),
      ...blocks
        .filter((b) => /^src\/modules\/[\w-]+\.ts$/.test(b.label))
        .flatMap((b) => [...b.body.matchAll(/name: '([A-Z][A-Z0-9_]*)'/g)].map((x) => x[1])),
    ]);
    // Files a template writes (`Dockerfile`), wherever it lives.
    const fileNames = new Set(walk('templates').map((p) => (p.split('/').at(-1) as string).replace(/\.hbs$/, '')));
    const names = spans.filter((s) => /^[A-Za-z_]\w*(\(\))?$/.test(s) && (/^[A-Z]/.test(s) || s.endsWith('()')));
    expect(names.length).toBeGreaterThan(10);
    for (const s of names) {
      const name = s.replace(/\(\)$/, '');
      const exported = new RegExp(
        `export (?:declare )?(?:const|let|function|async function|interface|type|class) ${name}\\b`,
      );
      expect(exported.test(sources) || envNames.has(name) || fileNames.has(name), s).toBe(true);
    }
  });

  /** The first-column names of the first table after `marker`. */
  const tableAfter = (marker: string): string[] => {
    const at = GUIDE.indexOf(marker);
    expect(at, marker).toBeGreaterThanOrEqual(0);
    const lines = GUIDE.slice(at).split('\n');
    const start = lines.findIndex((l) => l.startsWith('|'));
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
    return lines.slice(start, end).flatMap((l) => /^\| `(\w+)`/.exec(l)?.[1] ?? []);
  };
  /** The property names of an interface of src/modules/types.ts. */
  const fieldsOf = (name: string): string[] => {
    const text = readFileSync(join(ROOT, 'src', 'modules', 'types.ts'), 'utf8');
    const body = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(text)?.[1] ?? '';
    return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1] as string);
  };

  it('its tables name every ModuleManifest field, every EnvVar field and every slot, and nothing else', () => {
    expect(tableAfter('The fields of `ModuleManifest`').sort()).toEqual(fieldsOf('ModuleManifest').sort());
    expect(tableAfter('The fields of an `EnvVar`').sort()).toEqual(fieldsOf('EnvVar').sort());
    expect(tableAfter('| slot ').sort()).toEqual([...SLOT_NAMES].sort());
  });

  it('is linked from docs/architecture.md', () => {
    expect(readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8')).toContain('(adding-a-module.md)');
  });
});

describe('docs/modules.md, the module catalogue', () => {
  it('names every module, in render order, with its description', () => {
    const text = readFileSync(join(ROOT, 'docs', 'modules.md'), 'utf8');
    const rows = [...text.matchAll(/^\| `([\w-]+)` +\| (.+?) +\|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(MODULES.map((m) => [m.id, m.description]));
  });

  it('is linked from the README and docs/architecture.md', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('(docs/modules.md)');
    expect(readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8')).toContain('(modules.md)');
  });
});
