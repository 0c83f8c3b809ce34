/**
 * The version catalog: every package a generated project can depend on, pinned exactly.
 * These versions were installed and tested together by the matrix; generated package.json
 * files take versions only from here.
 */
export interface CatalogEntry {
  version: string;
  /** The package runs an install script we trust (npm >= 11 blocks unapproved ones). */
  installScript?: true;
}

/**
 * Packages pulled in by catalog packages whose install scripts we decline, and why. npm >= 11 warns
 * about every unapproved script on each install; declining says we looked.
 */
export const DECLINED_INSTALL_SCRIPTS: Record<string, string> = {
  // Via tsx and drizzle-kit: the binary arrives as an optional dependency; the script only re-checks it.
  esbuild: 'binary ships as an optional dependency',
  // Via swagger-ui-dist: its postinstall only reports the install to Scarf's analytics.
  '@scarf/scarf': 'install-time analytics ping; nothing needs it',
  // Via @google/genai: its postinstall only warns when a dependent pins it with another version scheme.
  protobufjs: 'a version-scheme warning for dependents; nothing needs it',
};

/**
 * Top-level package.json settings that dependencies read at install time. npm 10 (Node 22) ignores
 * `allowScripts` and runs Scarf's postinstall anyway; this setting keeps it from reporting the install.
 */
export const INSTALL_SETTINGS = { scarfSettings: { enabled: false } } as const;

/** package.json `allowScripts` for a project depending on `withScripts` (catalog packages with installScript). */
export const allowScriptsFor = (withScripts: readonly string[]): Record<string, boolean> => ({
  ...Object.fromEntries(withScripts.map((n) => [n, true])),
  ...Object.fromEntries(Object.keys(DECLINED_INSTALL_SCRIPTS).map((n) => [n, false])),
});

/**
 * The Node.js lines generated projects run on (22 and 24 in maintenance, 26 the Active LTS; 20 ended
 * 2026-04-30). `builds` are the official builds the matrix and `npm run demo` run projects on,
 * fetched from the npm registry as `node-<platform>-<arch>@<version>`.
 */
export const NODE = {
  engines: '^22.15.0 || ^24.0.0 || >=26.0.0',
  /** The Dockerfile's line, written to `.nvmrc`; tier 1 runs on it unless a row says otherwise. */
  primary: 24,
  builds: { 22: '22.23.5', 24: '24.22.3', 26: '26.12.1' },
} as const;

export type NodeLine = keyof typeof NODE.builds;

export const CATALOG = {
  // runtime
  hono: { version: '4.13.19' },
  '@hono/node-server': { version: '2.1.9' },
  '@hono/zod-openapi': { version: '1.6.3' },
  // Swagger UI's browser files, served by /docs from the app itself.
  'swagger-ui-dist': { version: '5.35.0' },
  zod: { version: '4.6.7' },
  'drizzle-orm': { version: '0.45.4' },
  // N-API prebuilds ship inside the package: no compiler, no download, one build for every Node line.
  'better-sqlite3': { version: '13.2.0' },
  pg: { version: '8.23.1' },
  ioredis: { version: '5.9.2' },
  pino: { version: '10.4.0' },
  handlebars: { version: '4.7.10' },
  nodemailer: { version: '10.6.1' },
  resend: { version: '6.38.0' },
  '@sendgrid/mail': { version: '8.1.6' },
  '@sendgrid/client': { version: '8.1.6' },
  bullmq: { version: '6.7.0' },
  jose: { version: '6.2.18' },
  busboy: { version: '1.6.0' },
  'file-type': { version: '22.3.0' },
  '@aws-sdk/client-s3': { version: '3.1169.0' },
  '@aws-sdk/lib-storage': { version: '3.1169.0' },
  '@aws-sdk/s3-request-presigner': { version: '3.1169.0' },
  // pinned ahead of the modules that will use them (AI #12, payments #13, observability #15)
  openai: { version: '7.59.0' },
  '@anthropic-ai/sdk': { version: '1.16.0' },
  '@google/genai': { version: '3.3.0' },
  stripe: { version: '23.1.0' },
  '@sentry/node': { version: '11.12.0' },
  '@opentelemetry/api': { version: '1.10.0' },
  '@opentelemetry/core': { version: '3.1.1' },
  '@opentelemetry/sdk-node': { version: '0.301.0' },
  '@opentelemetry/exporter-trace-otlp-http': { version: '0.301.0' },
  'prom-client': { version: '15.1.3' },
  // development
  'drizzle-kit': { version: '0.31.11' },
  'pino-pretty': { version: '13.2.0' },
  tsx: { version: '4.23.15' },
  typescript: { version: '7.0.2' },
  vitest: { version: '5.1.2' },
  '@biomejs/biome': { version: '2.6.8' },
  // The oldest supported line's types, so code that type-checks runs on every line in NODE.engines.
  '@types/node': { version: '22.20.7' },
  // Lints the generated /openapi.json in the project's own tests (the library behind @redocly/cli).
  '@redocly/openapi-core': { version: '2.64.0' },
  '@types/better-sqlite3': { version: '9.6.0' },
  '@types/pg': { version: '8.6.6' },
  '@electric-sql/pglite': { version: '0.5.14' },
  '@electric-sql/pglite-socket': { version: '0.2.17' },
  '@types/nodemailer': { version: '8.0.2' },
  'smtp-server': { version: '3.21.6' },
  '@types/smtp-server': { version: '3.5.13' },
  '@types/busboy': { version: '1.5.5' },
  s3rver: { version: '3.7.1' },
  '@types/s3rver': { version: '3.7.4' },
} as const satisfies Record<string, CatalogEntry>;

export type PackageName = keyof typeof CATALOG;

export const versionOf = (name: PackageName): string => CATALOG[name].version;
