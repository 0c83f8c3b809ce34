import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** Finds the package's `templates/` folder whether we run from src/ (tests) or dist/ (published). */
const findTemplatesRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('create-omnistack: templates/ folder not found next to the package');
    dir = parent;
  }
};

export const TEMPLATES_ROOT = findTemplatesRoot();

export interface TemplateFile {
  /** Output path, relative to the project root, with `.hbs` removed and `_` prefixes turned into `.`. */
  path: string;
  render: (context: object) => string;
}

const hbs = Handlebars.create();
// Helpers stay few and pure.
hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hbs.registerHelper('json', (v: unknown) => new Handlebars.SafeString(JSON.stringify(v)));

/** npm drops `.gitignore` from packages, so dotfiles are stored as `_name` and renamed here. */
const outputPath = (rel: string): string =>
  rel
    .split(sep)
    .map((part) => (part.startsWith('_') ? `.${part.slice(1)}` : part))
    .join('/')
    .replace(/\.hbs$/, '');

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();

const cache = new Map<string, TemplateFile[]>();

/** Loads (once per process) and compiles every file of one module's template folder. */
export const moduleTemplates = (templateDir: string): TemplateFile[] => {
  const hit = cache.get(templateDir);
  if (hit) return hit;
  const root = join(TEMPLATES_ROOT, templateDir);
  const files = existsSync(root)
    ? listFiles(root).map((abs): TemplateFile => {
        const rel = relative(root, abs);
        const text = readFileSync(abs, 'utf8');
        if (!abs.endsWith('.hbs')) return { path: outputPath(rel), render: () => text };
        const compiled = hbs.compile(text, { noEscape: true, strict: true });
        return { path: outputPath(rel), render: (ctx) => compiled(ctx) };
      })
    : [];
  cache.set(templateDir, files);
  return files;
};

/** Renders a template given as text (used for shared files assembled in code). */
export const renderString = (text: string, context: object): string =>
  hbs.compile(text, { noEscape: true, strict: true })(context);
