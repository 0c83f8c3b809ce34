import Handlebars from 'handlebars';
import { COMPILE_OPTIONS, registerHelpers } from './helpers.js';

/**
 * Turns one template's text into a render function. `key` is its path under templates/.
 *
 * This is the development implementation (tests run from src/): it compiles with the full
 * Handlebars compiler. The published build replaces this module with one that holds every
 * template precompiled at build time and needs only the Handlebars runtime (scripts/build.mjs).
 */
const hbs = Handlebars.create();
registerHelpers(hbs);

export const compileTemplate = (_key: string, text: string): ((context: object) => string) =>
  hbs.compile(text, COMPILE_OPTIONS);
