import { randomBytes } from 'node:crypto';
import { allowScriptsFor, CATALOG, INSTALL_SETTINGS, NODE, type PackageName, versionOf } from '../catalog.js';
import { type Answers, DIMENSIONS, type PackageManager, packageManagerCommands } from '../choices.js';
import { MODULES } from '../modules/index.js';
import { type EnvVar, type ModuleManifest, SLOT_NAMES, type SlotEntries, type SlotName } from '../modules/types.js';
import { initialMigration, MIGRATION_FILES, tableSetDir } from './migrations.js';
import { recordFiles, STATE_FILE, toolVersion } from './state.js';
import { moduleTemplates, type TemplateFile } from './templates.js';
import { sortedTree, type Tree } from './tree.js';

export interface Project {
  name: string;
  answers: Answers;
  /**
   * The package.json spec for create-omnistack itself, which gives the project its `omnistack` command
   * (default: this version, from the registry). A packed tarball (`file:...tgz`) tries an unpublished build.
   */
  cliSpec?: string;
  /** The package manager the README's commands use (default npm); recorded in omnistack.json. */
  pm?: PackageManager;
}

/** This tool's package name: every project depends on it for its `omnistack` command. */
export const TOOL_PACKAGE = 'create-omnistack';

/** The environment variable `create` reads `Project.cliSpec` from. */
export const CLI_SPEC_ENV = 'CREATE_OMNISTACK_SPEC';

export const activeModules = (answers: Answers, registry: readonly ModuleManifest[] = MODULES): ModuleManifest[] =>
  registry.filter((m) => m.when(answers));

/** `is.db.sqlite`, `is.ai.openai`, ...: one boolean per choice, for the few per-module templates that branch. */
const choiceFlags = (a: Answers): Record<string, Record<string, boolean>> =>
  Object.fromEntries(
    DIMENSIONS.map((d) => {
      const picked = a[d.key];
      return [
        d.key,
        Object.fromEntries(
          d.choices.map((c) => [c.value, Array.isArray(picked) ? picked.includes(c.value) : picked === c.value]),
        ),
      ];
    }),
  );

/** Every template folder a module renders for these answers: its own, then its table sets' for the chosen database. */
export const moduleTemplateDirs = (m: ModuleManifest, a: Answers): string[] => [
  ...(m.templateDirs?.(a) ?? [m.templateDir ?? m.id]),
  ...(m.tables?.(a) ?? []).map((t) => tableSetDir(t, a.db)),
];

export const moduleFiles = (m: ModuleManifest, a: Answers): TemplateFile[] =>
  moduleTemplateDirs(m, a).flatMap(moduleTemplates);

/** Files the pipeline writes in code for these answers (the initial migration when any module has tables). */
export const generatedFiles = (modules: readonly ModuleManifest[], a: Answers): string[] => [
  ...GENERATED,
  ...(modules.some((m) => (m.tables?.(a) ?? []).length > 0) ? MIGRATION_FILES : []),
];

/**
 * Overrides of one dependency wrap each other in module order: where a later `value` names the
 * dependency, the earlier override takes its place (`measuredAi(ai, metrics)` over
 * `meteredAi(ai, usage, keyOwner)` gives `measuredAi(meteredAi(ai, usage, keyOwner), metrics)`).
 */
export const foldOverrides = (entries: readonly SlotEntries['depOverrides'][]): SlotEntries['depOverrides'][] => {
  const byName = new Map<string, SlotEntries['depOverrides']>();
  for (const entry of entries) {
    const earlier = byName.get(entry.name);
    const named = new RegExp(`\\b${entry.name}\\b`);
    if (earlier && !named.test(entry.value))
      throw new Error(
        `two overrides of deps.${entry.name}, and the later one (${entry.value}) does not wrap the earlier`,
      );
    byName.set(
      entry.name,
      earlier
        ? {
            name: entry.name,
            imports: [...earlier.imports, ...entry.imports],
            value: entry.value.replace(named, () => earlier.value),
          }
        : entry,
    );
  }
  return [...byName.values()];
};

/** `schema` slot entries for the table files of every active table set, e.g. `{ path: './users.js' }`. */
const tableSchemaEntries = (modules: readonly ModuleManifest[], a: Answers) =>
  modules
    .flatMap((m) => (m.tables?.(a) ?? []).flatMap((t) => moduleTemplates(tableSetDir(t, a.db))))
    .map((t) => /^src\/db\/schema\/(.+)\.ts$/.exec(t.path)?.[1])
    .filter((name) => name !== undefined)
    .map((name) => ({ path: `./${name}.js` }));

const sortedKeys = (o: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

const pinned = (names: PackageName[]): Record<string, string> =>
  sortedKeys(Object.fromEntries(names.map((n) => [n, versionOf(n)])));

const packageJson = (p: Project, modules: ModuleManifest[]): string => {
  const deps = modules.flatMap((m) => m.dependencies ?? []);
  const devDeps = modules.flatMap((m) => m.devDependencies ?? []);
  const withScripts = [...deps, ...devDeps].filter((n) => 'installScript' in CATALOG[n]).sort();
  const pkg = {
    name: p.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: NODE.engines },
    scripts: Object.assign({}, ...modules.map((m) => m.scripts ?? {})),
    dependencies: pinned(deps),
    // The tool that generated the project, at that version: `npx omnistack` runs it, never a registry lookup.
    devDependencies: sortedKeys({ ...pinned(devDeps), [TOOL_PACKAGE]: p.cliSpec ?? toolVersion() }),
    // npm >= 11 skips install scripts unless approved: these packages need theirs (native builds), and the
    // declined ones are answered too, so installs do not warn about them.
    allowScripts: allowScriptsFor(withScripts),
    ...INSTALL_SETTINGS,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
};

const envFile = (env: EnvVar[], value: (v: EnvVar) => string): string =>
  env.map((v) => `# ${v.description}\n${v.name}=${value(v)}\n`).join('\n');

const envExample = (env: EnvVar[]): string => envFile(env, (v) => v.example);

/**
 * A credential whose .env.example value is filled in, so production refuses that value by name (a
 * copied example never goes live). Connection URLs on localhost are the development servers' own
 * addresses (`npm run db:local`, a local Redis or mail catcher), not stand-ins for a credential.
 */
export const isPlaceholderSecret = (v: EnvVar): boolean =>
  Boolean(v.secret && v.example) && !/^[a-z]+:\/\/([^@/]*@)?localhost[:/]/.test(v.example);

/**
 * The local `.env` create writes next to `.env.example`: the same variables, with fresh random values
 * for the secrets the project can make itself, so the app starts (in production mode too) at once.
 * Not part of the recorded tree: it is the user's from the start, and never overwritten.
 */
/** The variables the local `.env` gets a fresh random value for. */
export const generatedSecrets = (p: Project, registry: readonly ModuleManifest[] = MODULES): string[] =>
  activeModules(p.answers, registry)
    .flatMap((m) => m.env ?? [])
    .filter((v) => v.local === 'random')
    .map((v) => v.name);

/** A variable's value in a local `.env`: a fresh secret, empty, or the documented example. */
export const freshEnvValue = (v: EnvVar): string =>
  v.local === 'random' ? randomBytes(32).toString('base64url') : v.local === 'unset' ? '' : v.example;

export const localEnv = (p: Project, registry: readonly ModuleManifest[] = MODULES): string => {
  const env = activeModules(p.answers, registry).flatMap((m) => m.env ?? []);
  return `# Local settings with secrets made for this checkout by create-omnistack. Never commit it (.gitignore
# keeps it out, and so does .dockerignore); .env.example is the documented template.\n\n${envFile(env, freshEnvValue)}`;
};

/** Files built in code from every module's manifest; no template may write them. */
const GENERATED = ['package.json', '.env.example', 'omnistack.json', STATE_FILE];

/**
 * Renders every active module into one in-memory tree. Pure: reads templates, writes nothing.
 * `registry` is the module list (all of src/modules unless a test passes its own).
 */
export const compose = (p: Project, registry: readonly ModuleManifest[] = MODULES): Tree => {
  const modules = activeModules(p.answers, registry);
  const env = modules.flatMap((m) => m.env ?? []);
  const slots = Object.fromEntries(
    SLOT_NAMES.map((s) => [s, modules.flatMap((m): readonly object[] => m.slots?.[s] ?? [])]),
  ) as { [K in SlotName]: SlotEntries[K][] };
  slots.schema.push(...tableSchemaEntries(modules, p.answers));
  slots.depOverrides = foldOverrides(slots.depOverrides);
  const scripts = Object.entries(
    Object.assign({}, ...modules.map((m) => m.scripts ?? {})) as Record<string, string>,
  ).map(([name, command]) => ({ name, command }));
  const context = {
    name: p.name,
    answers: p.answers,
    is: choiceFlags(p.answers),
    modules: modules.map((m) => ({ id: m.id, description: m.description })),
    // `required`: the app refuses to boot without it (its schema has no default and is not optional).
    // `fromService`: a server of the `services` slot provides it (deploy files wire it, never ask for it).
    // `deployed`: deploy files ask for it, because it is a credential or the app cannot boot without it.
    env: env.map((v) => {
      const required = !/\.(optional|default)\(/.test(v.schema);
      const fromService = slots.services.some((s) => s.env === v.name);
      return { ...v, required, fromService, deployed: Boolean(v.secret || required) && !fromService };
    }),
    secretExamples: env.filter(isPlaceholderSecret),
    slots,
    scripts,
    pm: packageManagerCommands(p.pm ?? 'npm'),
    // The supported lines, oldest to newest, and the one the Dockerfile and .nvmrc use.
    node: { lines: Object.keys(NODE.builds).map(Number), primary: NODE.primary },
  };

  const files = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const m of modules) {
    for (const t of moduleFiles(m, p.answers)) {
      const other = owner.get(t.path);
      if (other) throw new Error(`modules ${other} and ${m.id} both write ${t.path}; a path has one owner`);
      owner.set(t.path, m.id);
      files.set(t.path, t.render(context));
    }
  }
  for (const generated of generatedFiles(modules, p.answers)) {
    const other = owner.get(generated);
    if (other) throw new Error(`module ${other} writes ${generated}, which the generator builds itself`);
  }
  files.set('package.json', packageJson(p, modules));
  files.set('.env.example', envExample(env));
  files.set(
    'omnistack.json',
    `${JSON.stringify({ version: toolVersion(), name: p.name, packageManager: p.pm ?? 'npm', answers: p.answers }, null, 2)}\n`,
  );
  const tableSets = modules.flatMap((m) => m.tables?.(p.answers) ?? []);
  for (const [path, text] of initialMigration(tableSets, p.answers.db)) files.set(path, text);
  files.set(STATE_FILE, recordFiles(files));
  return sortedTree(files);
};
