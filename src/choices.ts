/**
 * The one place that states every choice, every default and every rule.
 * Prompts, flags, `add`, and the matrix enumerator all read from here.
 */

export interface Choice {
  value: string;
  label: string;
  /** Choices that are listed in DESIGN.md but not built yet are refused with a clear message. */
  implemented: boolean;
}

export interface Dimension {
  key: DimensionKey;
  /** The CLI flag, e.g. `--db`. */
  flag: string;
  question: string;
  /** `one`: exactly one choice; `many`: any subset (`none` or empty means nothing). */
  kind: 'one' | 'many';
  choices: Choice[];
  /** First listed choice for `one`; empty set for `many`. */
  defaultValue: string | string[];
}

export type DimensionKey =
  | 'db'
  | 'auth'
  | 'cache'
  | 'jobs'
  | 'storage'
  | 'email'
  | 'ai'
  | 'payments'
  | 'iap'
  | 'deploy'
  | 'extras';

export interface Answers {
  db: string;
  auth: string;
  cache: string;
  jobs: string;
  storage: string;
  email: string;
  ai: string[];
  payments: string;
  iap: string[];
  deploy: string;
  extras: string[];
}

const choice = (value: string, label: string, implemented = true): Choice => ({
  value,
  label,
  implemented,
});

export const DIMENSIONS: readonly Dimension[] = [
  {
    key: 'db',
    flag: '--db',
    question: 'Database',
    kind: 'one',
    choices: [choice('sqlite', 'SQLite (embedded, no server)'), choice('postgres', 'PostgreSQL')],
    defaultValue: 'sqlite',
  },
  {
    key: 'auth',
    flag: '--auth',
    question: 'Authentication',
    kind: 'one',
    choices: [
      choice('none', 'None'),
      choice('jwt', 'JWT (HS256 secret or JWKS URL)'),
      choice('clerk', 'Clerk'),
      choice('supabase', 'Supabase Auth'),
    ],
    defaultValue: 'none',
  },
  {
    key: 'cache',
    flag: '--cache',
    question: 'Cache and rate-limit store',
    kind: 'one',
    choices: [choice('memory', 'In-process memory'), choice('redis', 'Redis')],
    defaultValue: 'memory',
  },
  {
    key: 'jobs',
    flag: '--jobs',
    question: 'Background jobs',
    kind: 'one',
    choices: [choice('none', 'None'), choice('bullmq', 'BullMQ (needs Redis)')],
    defaultValue: 'none',
  },
  {
    key: 'storage',
    flag: '--storage',
    question: 'File storage',
    kind: 'one',
    choices: [
      choice('local', 'Local disk'),
      choice('none', 'None'),
      choice('s3', 'Amazon S3'),
      choice('r2', 'Cloudflare R2'),
      choice('cloudinary', 'Cloudinary'),
    ],
    defaultValue: 'local',
  },
  {
    key: 'email',
    flag: '--email',
    question: 'Email',
    kind: 'one',
    choices: [
      choice('console', 'Console (prints mail in development)'),
      choice('none', 'None'),
      choice('smtp', 'SMTP'),
      choice('resend', 'Resend'),
      choice('sendgrid', 'SendGrid'),
    ],
    defaultValue: 'console',
  },
  {
    key: 'ai',
    flag: '--ai',
    question: 'AI providers',
    kind: 'many',
    choices: [choice('openai', 'OpenAI'), choice('anthropic', 'Anthropic'), choice('gemini', 'Google Gemini')],
    defaultValue: [],
  },
  {
    key: 'payments',
    flag: '--payments',
    question: 'Payments',
    kind: 'one',
    choices: [choice('none', 'None'), choice('stripe', 'Stripe')],
    defaultValue: 'none',
  },
  {
    key: 'iap',
    flag: '--iap',
    question: 'In-app purchase webhooks',
    kind: 'many',
    choices: [choice('apple', 'App Store', false), choice('google', 'Google Play', false)],
    defaultValue: [],
  },
  {
    key: 'deploy',
    flag: '--deploy',
    question: 'Deploy target',
    kind: 'one',
    choices: [
      choice('none', 'None'),
      choice('docker', 'Docker (Dockerfile + compose)'),
      choice('railway', 'Railway'),
      choice('fly', 'Fly.io'),
      choice('render', 'Render'),
    ],
    defaultValue: 'none',
  },
  {
    key: 'extras',
    flag: '--extras',
    question: 'Extras',
    kind: 'many',
    choices: [
      choice('metrics', 'Prometheus metrics'),
      choice('tracing', 'OpenTelemetry traces', false),
      choice('sentry', 'Sentry error reports', false),
      choice('websocket', 'WebSocket', false),
      choice('admin', 'Admin', false),
      choice('contact', 'Contact form', false),
      choice('usage', 'Usage metering'),
      choice('api-v2', 'API v2 routes', false),
    ],
    defaultValue: [],
  },
];

export const dimension = (key: DimensionKey): Dimension => {
  const found = DIMENSIONS.find((d) => d.key === key);
  if (!found) throw new Error(`unknown dimension ${key}`);
  return found;
};

export const implementedChoices = (d: Dimension): string[] =>
  d.choices.filter((c) => c.implemented).map((c) => c.value);

export const DEFAULT_ANSWERS: Answers = Object.fromEntries(
  DIMENSIONS.map((d) => [d.key, d.defaultValue]),
) as unknown as Answers;

/** A named rule over (possibly partial) answers. */
export interface Rule {
  name: string;
  /** The dimensions the rule reads; it is only checked once all of them are answered. */
  dims: DimensionKey[];
  violated(a: Answers): boolean;
  message: string;
  hint: string;
}

export const RULES: readonly Rule[] = [
  {
    name: 'bullmq-requires-redis',
    dims: ['jobs', 'cache'],
    violated: (a) => a.jobs === 'bullmq' && a.cache !== 'redis',
    message: 'BullMQ stores its queues in Redis, so --jobs bullmq needs --cache redis.',
    hint: 'add --cache redis, or choose --jobs none',
  },
  {
    name: 'payments-requires-auth',
    dims: ['payments', 'auth'],
    violated: (a) => a.payments !== 'none' && a.auth === 'none',
    message: 'Billing charges a signed-in user (one Stripe customer per user), so --payments needs an auth provider.',
    hint: 'add --auth jwt (or clerk, supabase), or choose --payments none',
  },
  {
    name: 'iap-requires-payments',
    dims: ['iap', 'payments'],
    violated: (a) => a.iap.length > 0 && a.payments === 'none',
    message: 'In-app purchase webhooks are part of the payments module.',
    hint: 'add --payments stripe, or drop --iap',
  },
];

export type PartialAnswers = Partial<Answers>;

/** Rules broken by the answers given so far (rules whose dimensions are not all answered are skipped). */
export const brokenRules = (a: PartialAnswers): Rule[] =>
  RULES.filter((r) => r.dims.every((k) => a[k] !== undefined) && r.violated(a as Answers));

/** One answer as text: a list comma-joined, an empty list `none`. */
const answerText = (v: Answers[keyof Answers]): string => (Array.isArray(v) ? v.join(',') || 'none' : v);

/** The answers as create-omnistack flags, `--db sqlite ... --ai openai,gemini`. */
export const answerFlags = (a: Answers, dims: readonly Dimension[] = DIMENSIONS): string[] =>
  dims.flatMap((d) => [d.flag, answerText(a[d.key])]);

/** `db=sqlite auth=none ... ai=openai,gemini`: every dimension, for people. */
export const describeAnswers = (a: Answers): string =>
  DIMENSIONS.map((d) => `${d.key}=${answerText(a[d.key])}`).join(' ');

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** How a project's README and next steps say "install" and "run a script" with `pm`. */
export const packageManagerCommands = (pm: PackageManager) => ({
  name: pm,
  install: `${pm} install`,
  run: pm === 'npm' || pm === 'bun' ? `${pm} run` : pm,
  /** Runs a command of the project's own dependencies. */
  exec: { npm: 'npx', pnpm: 'pnpm exec', yarn: 'yarn', bun: 'bunx' }[pm],
});
