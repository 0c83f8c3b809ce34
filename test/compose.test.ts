import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CATALOG } from '../src/catalog.js';
import {
  type Answers,
  DEFAULT_ANSWERS,
  DIMENSIONS,
  type Dimension,
  implementedChoices,
  type PartialAnswers,
} from '../src/choices.js';
import {
  activeModules,
  compose,
  foldOverrides,
  generatedFiles,
  isPlaceholderSecret,
  moduleFiles,
} from '../src/engine/compose.js';
import { sortImports } from '../src/engine/helpers.js';
import { resolveAnswers, validChoicesFor } from '../src/engine/resolve.js';
import { type FileRecord, STATE_FILE } from '../src/engine/state.js';
import { moduleTemplates } from '../src/engine/templates.js';
import type { Tree } from '../src/engine/tree.js';
import { coveringArray } from '../src/matrix/cover.js';
import { REAL_SPACE } from '../src/matrix/space.js';
import { core } from '../src/modules/core.js';
import { MODULES } from '../src/modules/index.js';
import { create, ROOT, readProject, sha256, useTempDirs } from './helpers.js';

const toolVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The answers with `d` set to `choice` and every other dimension at its default, or the first valid choice. */
const withChoice = (d: Dimension, choice: string): Answers => {
  const sofar: Record<string, unknown> = { [d.key]: d.kind === 'many' ? [choice] : choice };
  for (const other of DIMENSIONS) {
    if (other.key === d.key) continue;
    if (other.kind === 'many') {
      sofar[other.key] = [];
      continue;
    }
    const valid = validChoicesFor(other, sofar as PartialAnswers);
    sofar[other.key] = valid.includes(other.defaultValue as string) ? other.defaultValue : valid[0];
  }
  return resolveAnswers(sofar as PartialAnswers);
};

const CASES: { label: string; answers: Answers }[] = [
  { label: 'default', answers: DEFAULT_ANSWERS },
  ...DIMENSIONS.flatMap((d) =>
    implementedChoices(d)
      .filter((c) => (d.kind === 'many' ? true : c !== d.defaultValue))
      .map((c) => ({ label: `${d.flag} ${c}`, answers: withChoice(d, c) })),
  ),
];

/** `{{` left in the output. `${{ ... }}` is a GitHub Actions expression, not ours. */
const LEFTOVER = /(?<!\$)\{\{/;

/** Files whose import lines come from several modules (sorted by the `imports` template helper). */
const ASSEMBLED = [
  'src/app.ts',
  'src/deps.ts',
  'src/index.ts',
  'src/db/schema/index.ts',
  'src/jobs/registry.ts',
  'src/cleanup.ts',
];
/** Handlebars block, partial or comment syntax: in a verbatim file it means a forgotten `.hbs`. */
const BLOCK_SYNTAX = /(?<!\$)\{\{~?\s*(?:[#/>!^]|else\b)/;
/** Files the generated project renders itself at run time. */
const RUNTIME_TEMPLATE = /\.(hbs|handlebars)$/;

/** Env var names the generated code reads: `env.NAME` / `process.env.NAME` in non-test sources. */
const envReads = (tree: Tree): Set<string> => {
  const names = new Set<string>();
  for (const [path, text] of tree) {
    if (!/^src\/.*\.ts$/.test(path) || /\.test\.ts$/.test(path)) continue;
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) names.add(m[1] as string);
  }
  return names;
};

const envExampleNames = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => l.slice(0, l.indexOf('=')));

describe.each(CASES)('compose ($label)', ({ answers }) => {
  const tree = compose({ name: 'my-api', answers });
  const modules = activeModules(answers);

  it('renders every template of every active module, and nothing of the others', () => {
    const owned = new Set(generatedFiles(modules, answers));
    for (const m of modules) {
      for (const t of moduleFiles(m, answers)) {
        expect(tree.has(t.path), `${m.id} -> ${t.path}`).toBe(true);
        owned.add(t.path);
      }
    }
    expect([...tree.keys()].filter((p) => !owned.has(p))).toEqual([]);
  });

  it('leaves no template syntax behind', () => {
    // Rendered files may hold no `{{` at all; a verbatim file's `{{x}}` is its author's text (a test
    // that writes a runtime template, say), but block syntax there means the file missed its `.hbs`.
    const rendered = new Set(
      modules.flatMap((m) =>
        moduleTemplates(m.templateDir ?? m.id)
          .filter((t) => t.rendered)
          .map((t) => t.path),
      ),
    );
    const verbatim = new Set(
      modules.flatMap((m) =>
        moduleTemplates(m.templateDir ?? m.id)
          .filter((t) => !t.rendered)
          .map((t) => t.path),
      ),
    );
    for (const [path, text] of tree) {
      if (path === STATE_FILE || RUNTIME_TEMPLATE.test(path)) continue; // files.json repeats every file; checked there
      const pattern = verbatim.has(path) && !rendered.has(path) ? BLOCK_SYNTAX : LEFTOVER;
      const line = text.split('\n').findIndex((l) => pattern.test(l));
      expect(line, `${path}:${line + 1}: leftover {{`).toBe(-1);
    }
  });

  it('takes every package.json version from the catalog, and exactly the modules’ packages, plus this tool at this version', () => {
    const pkg = JSON.parse(tree.get('package.json') as string) as {
      name: string;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.name).toBe('my-api');
    const catalog = CATALOG as Record<string, { version: string }>;
    // The project's `npx omnistack`: the version that generated it.
    const { 'create-omnistack': tool, ...devDependencies } = pkg.devDependencies;
    expect(tool).toBe(toolVersion);
    for (const deps of [pkg.dependencies, devDependencies]) {
      for (const [name, version] of Object.entries(deps)) {
        expect(catalog[name]?.version, name).toBe(version);
      }
    }
    const want = (key: 'dependencies' | 'devDependencies') => [...new Set(modules.flatMap((m) => m[key] ?? []))].sort();
    expect(Object.keys(pkg.dependencies)).toEqual(want('dependencies'));
    expect(Object.keys(devDependencies)).toEqual(want('devDependencies'));
    expect(Object.keys(pkg.devDependencies)).toEqual(Object.keys(pkg.devDependencies).sort());
    // Scarf's postinstall, which npm 10 runs despite allowScripts, stays quiet.
    expect(pkg).toMatchObject({ scarfSettings: { enabled: false } });
  });

  it('.env.example lists every env var of every active module once, and every var the code reads', () => {
    const listed = envExampleNames(tree.get('.env.example') as string);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.sort()).toEqual(modules.flatMap((m) => (m.env ?? []).map((v) => v.name)).sort());
    for (const name of envReads(tree)) expect(listed, `${name} is read but not in .env.example`).toContain(name);
  });

  it('has production refuse every credential .env.example fills in (src/env.ts names each, and its test checks each)', () => {
    const secrets = modules.flatMap((m) => (m.env ?? []).filter(isPlaceholderSecret));
    const envTs = tree.get('src/env.ts') as string;
    const envTest = tree.get('src/env.test.ts') as string;
    for (const v of secrets) {
      // Rendered inside single quotes.
      expect(v.example, v.name).not.toMatch(/['\\\n]/);
      expect(envTs).toContain(`  ${v.name}: '${v.example}',\n`);
      expect(envTest).toContain(`expect(problems).toContain(\`${v.name}: \${EXAMPLE_REFUSED}\`);`);
    }
    expect(envTs.includes('EXAMPLE_SECRETS')).toBe(secrets.length > 0);
  });

  it('records every file with its sha256 and base text in .omnistack/files.json, and the answers in omnistack.json', () => {
    const record = JSON.parse(tree.get(STATE_FILE) as string) as Record<string, FileRecord>;
    expect(Object.keys(record).sort()).toEqual([...tree.keys()].filter((p) => p !== STATE_FILE).sort());
    for (const [path, { sha256: hash, base }] of Object.entries(record)) {
      expect(hash, path).toBe(sha256(tree.get(path) as string));
      expect(base, path).toBe(tree.get(path));
    }
    expect(JSON.parse(tree.get('omnistack.json') as string)).toEqual({
      version: toolVersion,
      name: 'my-api',
      packageManager: 'npm',
      answers,
    });
  });

  it('is deterministic: the same answers give the same tree, in sorted order', () => {
    const again = compose({ name: 'my-api', answers: structuredClone(answers) });
    expect([...again]).toEqual([...tree]);
    const paths = [...tree.keys()];
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});

describe('compose', () => {
  it('covers the default and every implemented choice of every dimension', () => {
    const covered = new Set(CASES.flatMap((c) => DIMENSIONS.map((d) => `${d.key}=${[c.answers[d.key]].flat()}`)));
    for (const d of DIMENSIONS) for (const c of implementedChoices(d)) expect(covered).toContain(`${d.key}=${c}`);
  });

  it('different answers give different trees, and the name lands in the output', () => {
    const other = CASES.find((c) => c.label !== 'default');
    if (!other) return;
    expect([...compose({ name: 'my-api', answers: other.answers })]).not.toEqual([
      ...compose({ name: 'my-api', answers: DEFAULT_ANSWERS }),
    ]);
    expect(compose({ name: 'other-name', answers: DEFAULT_ANSWERS }).get('package.json')).toContain('"other-name"');
  });

  it('refuses two modules writing the same path, naming both', () => {
    const twin = { ...core, id: 'core-twin', templateDir: core.templateDir ?? core.id };
    const first = moduleTemplates(core.templateDir ?? core.id)[0];
    expect(first).toBeDefined();
    expect(() => compose({ name: 'my-api', answers: DEFAULT_ANSWERS }, [...MODULES, twin])).toThrow(
      `modules core and core-twin both write ${first?.path}`,
    );
  });

  it('every module has a description, a unique id, and only catalog packages', () => {
    expect(new Set(MODULES.map((m) => m.id)).size).toBe(MODULES.length);
    for (const m of MODULES) {
      expect(m.description.length, m.id).toBeGreaterThan(5);
      for (const n of [...(m.dependencies ?? []), ...(m.devDependencies ?? [])]) expect(CATALOG).toHaveProperty([n]);
    }
  });
});

describe('deploy files', () => {
  const render = (answers: Partial<Answers>) =>
    compose({ name: 'my-api', answers: { ...DEFAULT_ANSWERS, deploy: 'fly', ...answers } });
  const jobs = { cache: 'redis', jobs: 'bullmq' };

  it('docker-compose insists only on secrets the app cannot boot without', () => {
    const compose = render({ ...jobs, db: 'postgres', email: 'smtp', auth: 'jwt' }).get('docker-compose.yml') ?? '';
    // Optional: an empty value counts as unset in src/env.ts.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's interpolation syntax, not ours
    expect(compose).toContain('ADMIN_TOKEN: ${ADMIN_TOKEN:-}');
    expect(compose).not.toMatch(/ADMIN_TOKEN: \$\{ADMIN_TOKEN:\?/);
    // Wired to the compose services, never asked for.
    expect(compose).toContain('DATABASE_URL: postgres://postgres:postgres@postgres:5432/app');
    expect(compose.match(/DATABASE_URL:/g)).toHaveLength(1);
  });

  it('asks for every variable the app cannot boot without, and every credential, in compose and on Render', () => {
    const tree = render({ auth: 'jwt', deploy: 'render' });
    const compose = tree.get('docker-compose.yml') ?? '';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's interpolation syntax, not ours
    expect(compose).toContain('AUTH_ISSUER: ${AUTH_ISSUER:?set AUTH_ISSUER in .env}');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's interpolation syntax, not ours
    expect(compose).toContain('AUTH_JWT_SECRET: ${AUTH_JWT_SECRET:-}');
    const blueprint = tree.get('render.yaml') ?? '';
    for (const name of ['AUTH_ISSUER', 'AUTH_JWT_SECRET', 'STORAGE_SIGNING_SECRET'])
      expect(blueprint).toContain(`- key: ${name}\n        sync: false`);
    expect(blueprint).not.toContain('- key: PORT');
  });

  it('runs the job worker as its own process where nothing lives on one machine’s disk', () => {
    const tree = render({ ...jobs, db: 'postgres', storage: 'none' });
    expect(tree.get('fly.toml')).toContain('worker = "node dist/worker.js"');
    expect(tree.get('fly.toml')).toContain('processes = ["app"]');
    expect(tree.get('fly.toml')).not.toContain('JOBS_IN_PROCESS');
    expect(tree.get('docker-compose.yml')).toContain('command: ["node", "dist/worker.js"]');
    const blueprint = render({ ...jobs, db: 'postgres', storage: 'none', deploy: 'render' }).get('render.yaml') ?? '';
    expect(blueprint).toContain('type: worker');
    expect(blueprint.match(/- key: DATABASE_URL/g)).toHaveLength(2);
  });

  it('runs the job worker inside the API where the data is on one machine’s disk', () => {
    const fly = render({ ...jobs, db: 'sqlite' }).get('fly.toml') ?? '';
    expect(fly).toContain('JOBS_IN_PROCESS = "true"');
    expect(fly).not.toContain('[processes]');
    expect(fly).toContain('(SQLite database, local uploads) lives in /app/data');
    const blueprint = render({ ...jobs, db: 'postgres', storage: 'local', deploy: 'render' }).get('render.yaml') ?? '';
    expect(blueprint).toContain('key: JOBS_IN_PROCESS');
    expect(blueprint).not.toContain('type: worker');
  });

  it("says every command of the README the chosen package manager's way", () => {
    const answers = { ...DEFAULT_ANSWERS, db: 'postgres' as const, cache: 'redis' as const, jobs: 'bullmq' as const };
    const readme = compose({ name: 'my-api', answers, pm: 'pnpm' }).get('README.md') ?? '';
    expect(readme).toContain('pnpm install\n');
    expect(readme).toContain('pnpm dev ');
    expect(readme).toContain('`pnpm db:local`');
    expect(readme).toContain('- `pnpm worker:dev`');
    expect(readme).not.toMatch(/\bnpm (run|install)/);
    expect(compose({ name: 'my-api', answers }).get('README.md')).toContain('`npm run db:local`');
  });

  it('names the Fly app with only the characters Fly allows', () => {
    const fly = compose({ name: 'my_api.v2', answers: { ...DEFAULT_ANSWERS, deploy: 'fly' } }).get('fly.toml');
    expect(fly).toContain('app = "my-api-v2"');
  });

  it('starts the servers the modules declare (services slot) in compose and CI, and nothing else', () => {
    const servers = render({ ...jobs, db: 'postgres', deploy: 'docker' });
    const ci = servers.get('.github/workflows/ci.yml') ?? '';
    for (const name of ['postgres', 'redis']) {
      expect(ci).toContain(`      ${name}:\n        image: `);
      expect(servers.get('docker-compose.yml')).toContain(`  ${name}:\n    image: `);
      expect(servers.get('docker-compose.yml')).not.toMatch(/- "(5432|6379):/);
    }
    expect(ci).toContain('      DATABASE_URL: postgres://postgres:postgres@localhost:5432/app\n');
    expect(ci).toContain('      REDIS_URL: redis://localhost:6379\n');
    const none = render({ deploy: 'docker' });
    expect(none.get('.github/workflows/ci.yml')).not.toContain('services:');
    expect(none.get('docker-compose.yml')).not.toMatch(/postgres|redis|depends_on/);
  });

  it('has no worker anywhere without jobs', () => {
    const tree = render({ db: 'postgres' });
    for (const file of ['fly.toml', 'docker-compose.yml']) expect(tree.get(file)).not.toMatch(/worker|JOBS_IN_PROCESS/);
  });
});

describe('the published build', () => {
  const tmp = useTempDirs('compose');

  it('renders exactly what the source pipeline renders (precompiled templates = compiled on the fly)', async () => {
    const picks = [CASES[0], CASES[CASES.length - 1]].filter((c) => c !== undefined);
    for (const { answers } of picks) {
      const cwd = tmp();
      const flags = DIMENSIONS.flatMap((d) => {
        const v = answers[d.key];
        return [d.flag, Array.isArray(v) ? v.join(',') || 'none' : v];
      });
      const r = await create(['my-api', ...flags, '--no-install', '--no-git'], { cwd });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // A fresh module instance reads templates/ now (other work may edit them while tests run).
      vi.resetModules();
      const fresh = (await import('../src/engine/compose.js')).compose({ name: 'my-api', answers });
      const digest = (t: Map<string, string>) => [...t].map(([path, text]) => `${path} ${sha256(text)}`);
      expect(digest(readProject(join(cwd, 'my-api')))).toEqual(digest(fresh));
    }
  });
});

describe('files assembled from several modules', () => {
  const tmp = useTempDirs('assembled');

  it('pass biome check as written: imports sorted and merged as Biome would, no suppressions', () => {
    const dir = tmp();
    // The generated project's settings, without the schema path (no node_modules here).
    const { $schema: _, ...settings } = JSON.parse(readFileSync(join(ROOT, 'templates', 'core', 'biome.json'), 'utf8'));
    writeFileSync(join(dir, 'biome.json'), `${JSON.stringify(settings, null, 2)}\n`);
    const seen = new Set<string>();
    for (const answers of [...CASES.map((c) => c.answers), ...coveringArray(REAL_SPACE).rows]) {
      const tree = compose({ name: 'my-api', answers });
      for (const [path, text] of tree) {
        if (!ASSEMBLED.includes(path)) continue;
        expect(text, path).not.toContain('biome-ignore');
        const file = `${sha256(text).slice(0, 12)}.ts`;
        if (!seen.has(file)) writeFileSync(join(dir, file), text);
        seen.add(file);
      }
    }
    expect(seen.size).toBeGreaterThan(ASSEMBLED.length);
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['check', ...seen], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});

describe('sortImports', () => {
  it('merges lines from one source, keeps type-only imports apart, and orders as Biome does', () => {
    const block = [
      "import { b } from './x.js';",
      "import type { T } from './x.js';",
      "import { a, type B } from './x.js';",
      "import { y } from './x-y.js';",
      "import { z } from 'zod';",
      "import { readFile } from 'node:fs/promises';",
      "import { up } from '../up.js';",
      "import { a10 } from './a10.js';",
      "import { a9 } from './a9.js';",
    ].join('\n');
    expect(sortImports(block)).toBe(
      [
        "import { readFile } from 'node:fs/promises';",
        "import { z } from 'zod';",
        "import { up } from '../up.js';",
        "import { a9 } from './a9.js';",
        "import { a10 } from './a10.js';",
        "import type { T } from './x.js';",
        "import { a, type B, b } from './x.js';",
        "import { y } from './x-y.js';",
        '',
      ].join('\n'),
    );
    expect(() => sortImports("const x = require('x');")).toThrow('not a one-line import');
  });
});

describe('overrides of one dependency', () => {
  it('wrap each other in module order, imports merged', () => {
    const folded = foldOverrides([
      { name: 'ai', imports: ['import a'], value: 'meteredAi(ai, usage)' },
      { name: 'email', imports: [], value: 'queuedEmail(jobs)' },
      { name: 'ai', imports: ['import b'], value: 'measuredAi(ai, metrics)' },
    ]);
    expect(folded).toEqual([
      { name: 'ai', imports: ['import a', 'import b'], value: 'measuredAi(meteredAi(ai, usage), metrics)' },
      { name: 'email', imports: [], value: 'queuedEmail(jobs)' },
    ]);
  });

  it('refuses a later override that would drop the earlier one', () => {
    expect(() =>
      foldOverrides([
        { name: 'email', imports: [], value: 'meteredEmail(email, usage)' },
        { name: 'email', imports: [], value: 'queuedEmail(jobs)' },
      ]),
    ).toThrow(/two overrides of deps.email/);
  });

  it('land folded in src/deps.ts when usage and metrics both wrap the AI gateway', () => {
    const answers = { ...DEFAULT_ANSWERS, ai: ['openai'], extras: ['usage', 'metrics'] } as Answers;
    const tree = compose({ name: 'x', answers });
    expect(tree.get('src/deps.ts')).toContain('    ai: measuredAi(meteredAi(ai, usage, keyOwner), metrics),\n');
  });
});
