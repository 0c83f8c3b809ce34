import type { PackageName } from '../catalog.js';
import type { Answers } from '../engine/config.js';

/** One environment variable a module needs: it lands in src/env.ts, .env.example and the README. */
export interface EnvVar {
  name: string;
  /** Value written to .env.example. */
  example: string;
  description: string;
  /** The zod expression validating it in src/env.ts, e.g. `z.coerce.number().int().default(3000)`. */
  schema: string;
  /**
   * A credential: deploy files never carry a value for it; they ask for it instead
   * (Render `sync: false`, `fly secrets set`, a required `${VAR:?}` in docker-compose.yml).
   */
  secret?: true;
  /**
   * What `create` writes for it into the local `.env` (gitignored, kept out of images) instead of the
   * example: `random`, a fresh secret (32 random bytes, base64url) the project can make itself;
   * `unset`, nothing (it would contradict a generated one).
   */
  local?: 'random' | 'unset';
}

/**
 * Contributions to shared files. Shared templates (src/app.ts, src/deps.ts, README.md, ...)
 * iterate over these lists, so a module never adds an `{{#if}}` to a shared template.
 * Each slot is a list of plain objects whose shape the consuming template documents.
 */
export type Slots = Record<string, readonly Record<string, unknown>[]>;

export interface ModuleManifest {
  id: string;
  /** Human description for `omnistack list` and the generated README. */
  description: string;
  /** Which answers turn this module on. */
  when: (a: Answers) => boolean;
  /** Folder under templates/ whose files this module renders (defaults to `id`). */
  templateDir?: string;
  /** Template folders to render for these answers, in order (instead of `templateDir`), e.g. code per database. */
  templateDirs?: (a: Answers) => string[];
  /**
   * Table sets this module adds (see src/engine/migrations.ts): their drizzle files are rendered and
   * re-exported through the `schema` slot, and their SQL joins the project's initial migration.
   */
  tables?: (a: Answers) => string[];
  dependencies?: PackageName[];
  devDependencies?: PackageName[];
  scripts?: Record<string, string>;
  env?: EnvVar[];
  slots?: Slots;
}
