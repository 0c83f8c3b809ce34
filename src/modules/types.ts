import type { PackageName } from '../catalog.js';
import type { Answers } from '../choices.js';

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

/** Import lines for the file the entry lands in, e.g. `"import { usersRoutes } from './modules/users/index.js';"`. */
type Imports = readonly string[];

/**
 * What a module contributes to shared files: each shared template (src/app.ts, src/deps.ts, README.md, ...)
 * iterates one of these lists, so a module never adds an `{{#if}}` to a shared template. Code fields are
 * TypeScript expressions, written into the file as they are; import lines are sorted and merged there.
 */
export interface SlotEntries {
  /**
   * src/deps.ts: one `AppDeps` property (`name`, also the local variable in createDeps) of TypeScript `type`.
   * `create` builds it (may `await`; sees `env`, `logger` and every dependency created before it, in module
   * order); `close` releases it and `ready` is its readiness check for GET /health/ready (a promise that
   * rejects when it cannot serve), both with `deps` in scope. Closed in reverse creation order.
   */
  deps: { name: string; imports: Imports; type: string; create: string; close?: string; ready?: string };
  /**
   * src/deps.ts: `AppDeps.name` is `value` (sees every created dependency) instead of the dependency as created.
   * Overrides of one name wrap each other in module order: a later `value` names it where the earlier goes.
   */
  depOverrides: { name: string; imports: Imports; value: string };
  /** src/app.ts: middleware `observer` (`deps` in scope) first in the chain, before CORS: it sees every request and its final response. */
  observers: { imports: Imports; observer: string };
  /** src/app.ts: `router` (an `OpenAPIHono<AppEnv>` from createRouter(), `deps` in scope) mounted at `path`. */
  routes: { imports: Imports; path: string; router: string };
  /**
   * src/app.ts: middleware `guard` (`deps` in scope) on `path`, before every route: a check one module makes on
   * another's routes (a plan limit on creating projects), so neither names the other.
   */
  guards: { imports: Imports; path: string; guard: string };
  /** src/app.ts: `'METHOD path'` or `'METHOD prefix/*'`, a route that streams its body under its own limit. */
  streamedBodies: { route: string };
  /** src/db/schema/index.ts: a table file of that folder re-exported, e.g. `'./users.js'`. */
  schema: { path: string };
  /** src/worker.ts: work beside the job worker; `start` (sees `env`, `logger`, `deps`) gives `{ stop(deadlineMs) }` or undefined. */
  workerBackground: { imports: Imports; why: string; start: string };
  /** src/index.ts: work beside the server; `start` (sees `env`, `logger`, `deps`) gives `{ stop(deadlineMs) }` or undefined. */
  background: { imports: Imports; why: string; start: string };
  /**
   * src/jobs/registry.ts: a job; `data` its TypeScript type, `handler` gives `(data, signal?) => Promise`, `deps` in
   * scope. With `cron` (a pattern in UTC) src/jobs/schedules.ts also runs it on that schedule, with `{}` as its data.
   */
  jobs: { imports: Imports; name: string; data: string; handler: string; cron?: string };
  /**
   * src/jobs/run.ts: `run`, a statement, after each job attempt the worker settled; `deps` and `job`
   * (`{ name, state: 'completed' | 'failed', seconds }`) in scope.
   */
  jobsSettled: { imports: Imports; run: string };
  /** src/cleanup.ts: a task of the cleanup (`npm run cleanup`, weekly with jobs); `run` gives a promise of the count removed, `deps` in scope. */
  cleanup: { imports: Imports; name: string; run: string };
  /** test/helpers.ts: a setting every test app gets before the test's own env. */
  testEnv: { name: string; value: string };
  /** test/helpers.ts: a local server every test app needs; `start` gives a promise of `{ env, drop() }`. */
  testServices: { name: string; imports: Imports; start: string };
  /** README.md: a section, `body` in Markdown under `## title`. */
  readme: { title: string; body: string };
  /** Dockerfile: a file or folder the app reads at run time, copied into the image; `why` becomes a comment. */
  imageFiles: { path: string; why: string };
  /** Deploy files: something kept under /app/data (`'SQLite database'`); any entry mounts a volume there. */
  dataDir: { what: string };
  /**
   * docker-compose.yml, render.yaml, the CI workflow and the matrix: a server the app reaches at the URL in
   * `env`. `image` runs it in compose (as `name`, at `composeUrl`) and in CI (at `localUrl`), with its
   * `environment`, `port`, a shell `healthcheck`, and its data at `dataPath` kept in a named volume.
   * `render` is what a Render Blueprint creates for it: a `database` or a `keyvalue` instance.
   */
  services: {
    name: string;
    env: string;
    image: string;
    port: number;
    environment: readonly { name: string; value: string }[];
    healthcheck: string;
    composeUrl: string;
    localUrl: string;
    dataPath?: string;
    render: 'database' | 'keyvalue';
  };
  /**
   * Deploy files: another process from the same image (the job worker), run by `command`. Where the app
   * keeps data on one machine's disk (`dataDir`), it runs inside the API instead: `inApi` is the variable
   * that switches that on.
   */
  processes: { name: string; command: string; why: string; inApi: string };
  /**
   * src/lib/ai/providers.ts: an `AiProvider` named `name`; `create` builds it from `env` (its SDK is
   * imported on first use, never at boot).
   */
  aiProviders: { name: string; imports: Imports; create: string };
}

export type SlotName = keyof SlotEntries;

export type Slots = { readonly [K in SlotName]?: readonly SlotEntries[K][] };

/** Every slot, so a shared template can iterate one that no active module fills. */
export const SLOT_NAMES = [
  'deps',
  'depOverrides',
  'observers',
  'routes',
  'guards',
  'streamedBodies',
  'schema',
  'background',
  'workerBackground',
  'jobs',
  'jobsSettled',
  'cleanup',
  'testEnv',
  'testServices',
  'readme',
  'imageFiles',
  'dataDir',
  'services',
  'processes',
  'aiProviders',
] as const satisfies readonly SlotName[];

// Fails to compile when a slot is missing from SLOT_NAMES.
const allSlots: Record<Exclude<SlotName, (typeof SLOT_NAMES)[number]>, never> = {};
void allSlots;

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
