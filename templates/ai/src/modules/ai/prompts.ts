import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** The prompt files; the same path from src/modules/ai/ (tsx, vitest) and dist/modules/ai/ (build). */
export const PROMPTS_DIR = fileURLToPath(new URL('../../../src/modules/ai/prompts/', import.meta.url));

/**
 * Every prompt, `<name>.v<version>`, and the variables it takes. A changed prompt is a new version: a
 * new file and a new line here, so the old one stays reproducible until nothing uses it.
 */
export interface PromptVariables {
  'summarize.v1': { text: string; maxWords: number };
}

export type PromptName = keyof PromptVariables;

const NAMES: Record<PromptName, true> = { 'summarize.v1': true };

export interface Prompts {
  render<N extends PromptName>(name: N, variables: PromptVariables[N]): string;
}

/**
 * `value` with every closing `tag` (`</text`, in any case or spacing) written `<\/text`, so user text
 * placed between `<text>` and `</text>` cannot end the block early and add instructions after it.
 * `tag` comes from the prompt file, never from the user.
 */
export const escapeClosingTag = (value: string, tag: string): string =>
  value.replace(new RegExp(`<\\s*/\\s*${tag}`, 'gi'), `<\\/${tag}`);

/**
 * Compiles every prompt once, at start-up, so a broken file stops the boot rather than a request.
 * Strict mode: a variable the file uses but the caller lacks is an error. Nothing is HTML-escaped,
 * and values are never read as templates, so user text cannot inject Handlebars; user text placed
 * inside a tag goes through the `escapeTag` helper (`escapeTag value "tag"`), so it cannot close that tag.
 */
export const createPrompts = (dir = PROMPTS_DIR): Prompts => {
  const hbs = Handlebars.create();
  hbs.registerHelper('escapeTag', (value: unknown, tag: unknown) => escapeClosingTag(String(value), String(tag)));
  const compiled = Object.fromEntries(
    Object.keys(NAMES).map((name) => [
      name,
      hbs.compile(readFileSync(`${dir}/${name}.handlebars`, 'utf8'), { strict: true, noEscape: true }),
    ]),
  );
  return {
    render: (name, variables) => {
      const template = compiled[name];
      if (!template) throw new Error(`no prompt ${name}`);
      return template(variables).trim();
    },
  };
};
