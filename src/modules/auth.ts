import type { EnvVar, ModuleManifest } from './types.js';

/**
 * A comma-separated list of asymmetric JWS algorithms (never HS*, never none). HS* gets a message of its own:
 * a user who writes HS256 here wants the secret, which this list has nothing to do with.
 */
const ALGORITHM_LIST = [
  'z',
  '    .string()',
  '    .refine((list) => !/HS\\d/.test(list), {',
  "      error: 'HS256 comes from AUTH_JWT_SECRET: set that instead; this list is for keys from AUTH_JWKS_URL',",
  '      abort: true,',
  '    })',
  "    .regex(/^(((RS|PS|ES)(256|384|512)|EdDSA)(,(?!$)|$))+$/, 'asymmetric algorithms, e.g. RS256 or ES256,EdDSA')",
  "    .default('RS256')",
].join('\n');

/** Counting characters is enough: a string of 32+ characters has 32+ bytes. */
const SECRET = "z.string().min(32, 'must be at least 32 bytes').optional()";

const jwtEnv: EnvVar[] = [
  {
    name: 'AUTH_JWT_SECRET',
    example: '',
    description: 'HS256 signing secret, 32+ bytes (openssl rand -base64 32); set this or AUTH_JWKS_URL',
    schema: SECRET,
    local: 'random',
    secret: true,
  },
  {
    name: 'AUTH_JWKS_URL',
    example: 'https://auth.example.com/.well-known/jwks.json',
    description: 'Where the issuer publishes its public keys (asymmetric tokens); set this or AUTH_JWT_SECRET',
    schema: 'z.url().optional()',
    local: 'unset',
  },
  {
    name: 'AUTH_JWT_ALGORITHMS',
    example: 'RS256',
    description: 'Comma-separated algorithms accepted from AUTH_JWKS_URL keys (HS256 is only used with the secret)',
    schema: ALGORITHM_LIST,
  },
  {
    name: 'AUTH_ISSUER',
    example: 'https://auth.example.com/',
    description: 'Exact `iss` every token must carry',
    schema: 'z.string().min(1)',
  },
  {
    name: 'AUTH_AUDIENCE',
    example: 'https://api.example.com',
    description: '`aud` every token must include (unset: not checked)',
    schema: 'z.string().min(1).optional()',
  },
];

const supabaseEnv: EnvVar[] = [
  {
    name: 'SUPABASE_URL',
    example: 'https://your-project.supabase.co',
    description: 'Project URL; tokens must come from <SUPABASE_URL>/auth/v1 and are checked against its JWKS',
    schema: "z.url().transform((url) => url.replace(/\\/+$/, ''))",
  },
  {
    name: 'SUPABASE_JWT_SECRET',
    example: '',
    description: 'Legacy HS256 JWT secret; only used when SUPABASE_ALLOW_LEGACY_HS256=true',
    schema: SECRET,
    secret: true,
  },
  {
    name: 'SUPABASE_ALLOW_LEGACY_HS256',
    example: 'false',
    description: 'Also accept tokens signed with the legacy shared secret (projects not yet on signing keys)',
    schema: 'z.stringbool().default(false)',
  },
];

const clerkEnv: EnvVar[] = [
  {
    name: 'CLERK_FRONTEND_API_URL',
    example: 'https://your-app.clerk.accounts.dev',
    description:
      'Frontend API URL (Clerk dashboard, API keys): the exact `iss` of session tokens; keys from its /.well-known/jwks.json',
    schema: "z.url().transform((url) => url.replace(/\\/+$/, ''))",
  },
  {
    name: 'CLERK_JWT_KEY',
    example: '',
    description: 'JWT public key (PEM, Clerk dashboard, API keys): verify with no network call instead of the JWKS',
    schema: "z.string().trim().startsWith('-----BEGIN PUBLIC KEY-----', { error: 'not a PEM key' }).optional()",
  },
  {
    name: 'CLERK_AUTHORIZED_PARTIES',
    example: 'http://localhost:3000',
    description: 'Comma-separated origins of your frontends; tokens whose `azp` is not listed are refused',
    schema: "originList.refine((list) => !list.includes('*'), { error: 'origins, not *' }).optional()",
  },
  {
    name: 'CLERK_SESSION_COOKIE',
    example: 'false',
    description: "Also accept Clerk's `__session` cookie (frontend on the same site); needs CLERK_AUTHORIZED_PARTIES",
    schema: 'z.stringbool().default(false)',
  },
];

/** The env vars each mode reads (src/lib/auth/config.ts of that mode). */
const ENV: Record<string, EnvVar[]> = { jwt: jwtEnv, supabase: supabaseEnv, clerk: clerkEnv };

/** What every test app gets, so tests that do not sign in still boot; auth tests set their own (test/auth.ts). */
const TEST_ENV: Record<string, { name: string; value: string }[]> = {
  jwt: [
    { name: 'AUTH_ISSUER', value: 'https://issuer.test/' },
    { name: 'AUTH_JWT_SECRET', value: 'a-test-secret-of-at-least-32-bytes!' },
  ],
  // Nothing listens there: keys are only fetched when a token arrives.
  supabase: [{ name: 'SUPABASE_URL', value: 'http://127.0.0.1:9' }],
  clerk: [{ name: 'CLERK_FRONTEND_API_URL', value: 'http://127.0.0.1:9' }],
};

/** README lines only one mode needs. */
const README: Record<string, string[]> = {
  clerk: [
    '',
    'Clerk: session tokens only (a `sid` claim); a route that also takes other tokens of the instance says so',
    'with `requireUser(deps, { allowSessionless: true })`. Set `CLERK_JWT_KEY` to verify without network calls',
    '(update it when keys rotate) and `CLERK_AUTHORIZED_PARTIES` to refuse tokens issued to other frontends',
    "(`azp`). Clerk's `__session` cookie is read only with `CLERK_SESSION_COOKIE=true`, and for POST, PATCH, PUT",
    'and DELETE only from a listed Origin. Session tokens carry no email or name by default: add `email`, `name`',
    'and `picture` claims under Sessions, Customize session token in the Clerk dashboard; without them the user',
    'row starts with those fields empty.',
  ],
};

/**
 * Verified identity (`--auth jwt|clerk|supabase`): token verification, the users table, /me and
 * admin routes. Code shared by every mode lives in templates/auth, the mode's config in auth-<mode>.
 */
const authModule = (mode: string): ModuleManifest => ({
  id: `auth-${mode}`,
  description: `Verified identity (${mode}), users, /me and admin routes`,
  when: (a) => a.auth === mode,
  templateDirs: () => ['auth', `auth-${mode}`],
  tables: () => ['users'],
  dependencies: ['jose'],
  env: ENV[mode] ?? [],
  slots: {
    deps: [
      {
        name: 'auth',
        imports: ["import { type Auth, createAuth } from './lib/auth/auth.js';"],
        type: 'Auth',
        create: 'await createAuth(env, { db, logger })',
      },
    ],
    testEnv: TEST_ENV[mode] ?? [],
    readme: [
      {
        title: 'Authentication',
        body: [
          `Mode \`${mode}\`: every request to \`/api/v1/me\`, \`/api/v1/admin/*\` and owned resources needs`,
          '`Authorization: Bearer <jwt>`, verified with jose (pinned algorithms, exp required, exact issuer, audience).',
          'The first verified request creates the user row. Any failure answers 401 with',
          '`WWW-Authenticate: Bearer error="invalid_token"`; signing keys unreachable with none cached answers 503.',
          "Make a user an administrator in the database (`role = 'admin'`); admin changes land in `audit_log`.",
          'Tests mint their own keys: `test/auth.ts` points the app at a local issuer (for JWKS modes, a local JWKS',
          'server via the same env vars), so nothing leaves the machine.',
          ...(README[mode] ?? []),
        ].join('\n'),
      },
    ],
    routes: [
      {
        imports: ["import { usersRoutes } from './modules/users/index.js';"],
        path: '/api/v1',
        router: 'usersRoutes(deps)',
      },
    ],
  },
});

export const authJwt = authModule('jwt');
export const authSupabase = authModule('supabase');
export const authClerk = authModule('clerk');

/**
 * Without authentication, resources that belong to a user elsewhere are shared: this module's
 * src/lib/scope.ts and test/scope.ts are the twins of the auth modules' (same exports), so resource
 * code never asks which one it got.
 */
export const scopeShared: ModuleManifest = {
  id: 'scope-shared',
  description: 'Shared resources without owners (no authentication): the scope every resource filters by',
  when: (a) => a.auth === 'none',
};

/** The example owner-scoped resource; without auth it exists without owners. */
export const projects: ModuleManifest = {
  id: 'projects',
  description: 'Projects: the CRUD pattern (pagination, filters, sort, soft delete) later resources copy',
  when: () => true,
  // With an auth module, the tests that one user's projects are not another's.
  templateDirs: (a) => ['projects', ...(a.auth === 'none' ? [] : ['projects-owned'])],
  tables: (a) => [a.auth === 'none' ? 'projects' : 'projects-owned'],
  slots: {
    readme: [
      {
        title: 'Projects',
        body: [
          '`/api/v1/projects` is the example resource to copy: create, get, list (`limit` with `offset` or `cursor`,',
          '`sort` from an allowlist, `name` filter, `deleted=true` for the bin), update, soft delete and restore, built',
          "on `src/lib/crud.ts`. With an auth module each project has an owner and another user's project answers 404;",
          'generated with `--auth none` there are no owners: every caller sees and changes every project.',
          'The cleanup (`npm run cleanup`) deletes projects that have been in the bin for 30 days.',
        ].join('\n'),
      },
    ],
    routes: [
      {
        imports: ["import { projectsRoutes } from './modules/projects/index.js';"],
        path: '/api/v1',
        router: 'projectsRoutes(deps)',
      },
    ],
    cleanup: [
      {
        imports: ["import { purgeDeletedProjects } from './modules/projects/cleanup.js';"],
        name: 'soft-deleted projects',
        run: 'purgeDeletedProjects(deps.db, { olderThanDays: 30 })',
      },
    ],
  },
};
