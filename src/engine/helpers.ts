// The few pure helpers every template may use, registered on the full compiler (development)
// and on the runtime (published build). Only type imports here: scripts/build.mjs loads this file alone.
import type Handlebars from 'handlebars';

/** The full compiler and the runtime-only build both have this. */
export type HelperHost = Pick<typeof Handlebars, 'registerHelper'>;

export const registerHelpers = (hbs: HelperHost): void => {
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
};

/** Options for every template: no HTML escaping (we write code), a missing key is an error. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;
