import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTemplate } from './handlebars.js';

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
  /** Rendered from a `*.hbs` file (otherwise copied verbatim). */
  rendered: boolean;
  render: (context: object) => string;
}

/** `a/b` on every platform: template keys and output paths use forward slashes. */
const slashed = (rel: string): string => rel.split(sep).join('/');

/** npm drops `.gitignore` from packages, so dotfiles are stored as `_name` and renamed here. */
const outputPath = (rel: string): string =>
  rel
    .split('/')
    .map((part) => (part.startsWith('_') ? `.${part.slice(1)}` : part))
    .join('/')
    .replace(/\.hbs$/, '');

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();

const cache = new Map<string, TemplateFile[]>();

/**
 * Loads (once per process) every file of one module's template folder. Files are always found
 * by listing templates/ on disk; `*.hbs` files become render functions (see ./handlebars.ts for
 * how they are compiled), other files are copied verbatim.
 */
export const moduleTemplates = (templateDir: string): TemplateFile[] => {
  const hit = cache.get(templateDir);
  if (hit) return hit;
  const root = join(TEMPLATES_ROOT, templateDir);
  const files = existsSync(root)
    ? listFiles(root).map((abs): TemplateFile => {
        const path = outputPath(slashed(relative(root, abs)));
        const text = readFileSync(abs, 'utf8');
        if (!abs.endsWith('.hbs')) return { path, rendered: false, render: () => text };
        return { path, rendered: true, render: compileTemplate(slashed(relative(TEMPLATES_ROOT, abs)), text) };
      })
    : [];
  cache.set(templateDir, files);
  return files;
};
