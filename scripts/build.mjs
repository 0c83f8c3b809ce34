// Bundles the CLIs, with their dependencies, into dist/: create.cjs and omnistack.cjs (required
// from bin/ at start-up), prompts.js and finish.js (imported only to prompt or to install and
// init git; @clack/prompts and execa live there), and matrix-cli.js. Handlebars templates are
// precompiled here, so the published CLI needs only the Handlebars runtime, never the compiler.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import Handlebars from 'handlebars';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const templatesRoot = join(root, 'templates');
const engine = join(root, 'src', 'engine');

// The same options the development compiler uses (src/engine/helpers.ts has no imports, so it loads alone).
const helpersSource = await transform(readFileSync(join(engine, 'helpers.ts'), 'utf8'), {
  loader: 'ts',
  format: 'esm',
});
const { COMPILE_OPTIONS } = await import(`data:text/javascript,${encodeURIComponent(helpersSource.code)}`);

/** Every `*.hbs` under templates/, precompiled: key (path under templates/, `/`-separated) -> code. */
let precompiledCache;
const precompiled = () => {
  precompiledCache ??= precompile();
  return precompiledCache;
};
const precompile = () => {
  const entries = readdirSync(templatesRoot, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return entries.map((abs) => {
    const key = relative(templatesRoot, abs).split(sep).join('/');
    const text = readFileSync(abs, 'utf8');
    let spec;
    try {
      spec = Handlebars.precompile(text, COMPILE_OPTIONS);
    } catch (err) {
      throw new Error(`templates/${key}: ${err.message}`);
    }
    const sha256 = createHash('sha256').update(text).digest('hex');
    return `  ${JSON.stringify(key)}: { sha256: ${JSON.stringify(sha256)}, spec: ${spec} },`;
  });
};

/** Replaces src/engine/handlebars.ts (full compiler) with the precompiled templates + runtime. */
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onResolve({ filter: /^\.\/handlebars\.js$/ }, (args) =>
      args.importer.startsWith(engine) ? { path: 'precompiled-templates', namespace: 'omnistack' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'omnistack' }, () => ({
      resolveDir: engine,
      loader: 'js',
      contents: `
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import Runtime from 'handlebars/runtime.js';
import { COMPILE_OPTIONS, registerHelpers } from './helpers.ts';

const hbs = Runtime.create();
registerHelpers(hbs);

const SPECS = {
${precompiled().join('\n')}
};

let compiler;
/** The full compiler, loaded from node_modules only for a template edited after this build. */
const fullCompiler = () => {
  if (!compiler) {
    compiler = createRequire(import.meta.url)('handlebars').create();
    registerHelpers(compiler);
  }
  return compiler;
};

export const compileTemplate = (key, text) => {
  const found = SPECS[key];
  if (found && found.sha256 === createHash('sha256').update(text).digest('hex')) return hbs.template(found.spec);
  return fullCompiler().compile(text, COMPILE_OPTIONS);
};
`,
    }));
  },
};

/**
 * `import { readFileSync } from 'node:fs'` in an ES module makes Node build an ES module facade
 * of the built-in, reading every export (fs.ReadStream pulls in all of node:stream). Bundled
 * imports of built-ins become plain require() calls instead (through the banner's `require`).
 */
const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /^[a-z_/:]+$/ }, (args) => {
      if (args.kind !== 'import-statement' || !isBuiltin(args.path)) return undefined;
      return { path: args.path, namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * commander requires node:child_process at load time, only to spawn stand-alone executable
 * subcommands, which our CLIs do not have: loading it costs create ~4 ms of start-up. Deferred to first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error(`${args.path}: commander changed; update lazyChildProcess`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

const common = {
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

// ES module bundles: bundled CommonJS dependencies call require() for Node built-ins.
const esm = {
  ...common,
  format: 'esm',
  banner: {
    js: "import { createRequire as __omnistackRequire } from 'node:module';\nconst require = __omnistackRequire(import.meta.url);",
  },
  plugins: [precompiledTemplates, builtinsViaRequire],
};

const results = await Promise.all([
  // The start-up path: one CommonJS file per CLI, loaded with synchronous require() from bin/.
  // (Node's ES module loader reads every module through the thread pool; on a busy machine each
  // of those waits costs more than the work.) Prompts and install/git stay out of it: they are
  // separate bundles, imported only when needed.
  build({
    ...common,
    entryPoints: { create: 'src/cli/create.ts', omnistack: 'src/cli/omnistack.ts' },
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['./prompts.js', './finish.js'],
    define: { 'import.meta.url': '__omnistackUrl' },
    banner: { js: "const __omnistackUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [precompiledTemplates, lazyChildProcess],
  }),
  build({ ...esm, entryPoints: { prompts: 'src/cli/prompts.ts', finish: 'src/cli/finish.ts' } }),
  // Development only (not published): the matrix, and what `npm run demo` and bench/ use.
  build({ ...esm, entryPoints: { 'matrix-cli': 'src/matrix/cli.ts', 'dev-tools': 'src/matrix/dev-tools.ts' } }),
]);

// Drop outputs of earlier builds (chunk names carried a hash). Only top-level dist files are ours.
const fresh = new Set(results.flatMap((r) => Object.keys(r.metafile.outputs)).map((p) => join(root, p)));
for (const e of readdirSync(join(root, 'dist'), { withFileTypes: true })) {
  const abs = join(root, 'dist', e.name);
  if (e.isFile() && /\.c?js$/.test(e.name) && !fresh.has(abs)) rmSync(abs);
}
