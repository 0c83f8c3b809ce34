import type { EnvVar, ModuleManifest } from './types.js';

/** A provider's key (required in production only) and base URL (tests and self-hosted gateways point it elsewhere). */
const providerEnv = (prefix: string, label: string, keyHint: string, baseUrl: string, urlHint: string): EnvVar[] => [
  {
    name: `${prefix}_API_KEY`,
    example: '',
    description: `${label} API key (${keyHint}); required in production`,
    schema: 'z.string().min(1).optional()',
    secret: true,
  },
  {
    name: `${prefix}_BASE_URL`,
    example: baseUrl,
    description: `${label} API base URL${urlHint}; point it at a gateway or a test server`,
    schema: `z.url().default('${baseUrl}')`,
  },
];

const AI_README = [
  'The AI gateway (`deps.ai`, `src/lib/ai/`) puts the providers this project was made with behind one',
  'router. Each provider loads its SDK on its first call, with the SDK’s own retries off: the router',
  'owns every retry.',
  '',
  'Endpoints (signed-in users only when the project has auth; without it, callers are told apart by',
  'address, an IPv6 caller by its /64, so budgets and limits are per network then):',
  '',
  '- `POST /api/v1/ai/chat`: `{ messages, system?, tier?, model?, maxOutputTokens?, temperature?, json? }`',
  '  answers `{ text, provider, model, tier, attempts, finishReason, usage, costMicros, costUsd, estimated }`.',
  '- `POST /api/v1/ai/chat/stream`: the same request, answered as Server-Sent Events: `delta` `{ text }`,',
  '  `usage`, then `done` (finish reason, usage, cost) or `error` `{ code, retryable, message }`, with a',
  '  comment line every 15 s. The response starts with the first token, so a failure before it is a',
  '  problem+json response; closing the connection stops the model.',
  '- `POST /api/v1/ai/summarize` `{ text, maxWords? }`: an example of a prompt template (below).',
  '- `GET /api/v1/ai/status`: the providers, each tier’s models and their circuit breakers.',
  '- `GET /api/v1/ai/usage`: the caller’s tokens, cost and budgets this UTC day and month; admins also',
  '  get everyone’s totals per user and model.',
  '',
  'Answers carry `X-AI-Provider`, `X-AI-Model` and `X-AI-Attempts`; each request also logs one',
  '`ai request` line (model, attempts, tokens, cost, latency; never prompt or answer text), and each',
  'failed attempt an `ai: attempt failed` warning with the provider’s reason (cut short, keys masked).',
  '',
  '**Models and tiers.** `src/lib/ai/models.ts` is the one file to edit. `tiers` maps `small`,',
  '`standard` and `large` to an ordered list of `{ provider, model }` candidates; a request names a',
  '`tier` or a `model`, or the scorer picks a tier from the prompt’s estimated size, the conversation’s',
  'depth and whether it asks for JSON (`scoring`). To add a model, add it under its provider in',
  '`models` with its context window, output limit and prices (and `supportsTemperature: false` if it',
  'takes only its default temperature: the router then leaves a request’s out), then list it in a tier;',
  '`npm run typecheck` refuses a tier naming a model that is not listed. Providers this project was not',
  'made with are skipped.',
  '',
  '**Failures.** Rate limits, overload, 5xx and timeouts are retried with jittered backoff (honouring',
  '`Retry-After` up to a cap), then the next candidate is tried (a silent one is left after one timeout',
  'when another candidate remains); a prompt too long moves to a model with',
  'a larger context; a refusal by one model (no such model for this key, a parameter it does not take)',
  'moves to the next candidate at once; a bad key or a bad request fails at once (502 or 400, without',
  'the provider’s message). Once every candidate failed the answer is 503 with `Retry-After`. Each',
  '`provider:model` has a circuit breaker, kept in the cache (shared by every instance with Redis). A',
  'stream falls back unnoticed until its first token; after it, a failure ends the stream with an',
  '`error` event. In JSON mode every provider’s system prompt asks for a JSON object.',
  '',
  '**Cost and budgets.** Prices are dollars per million tokens, in dated periods (a price change is a',
  'new period; older requests keep their cost), and costs are integer micro-dollars (`costMicros`,',
  '1,000,000 = $1). Every request writes one `ai_usage` row: user, provider, model, each token class,',
  'cost, status (`completed`, `aborted`, `error`), time to first token and latency. A stream cut off',
  'before the provider reported its usage is charged from an estimate (4 characters a token) and',
  'flagged `estimated`. An attempt `/chat` retried after it had produced text is billed by its provider',
  'though nobody saw it: it gets its own row (`<request id>:attempt-N`, status `error`) and counts',
  'against the budget. Before calling, a request reserves its worst case in the caller’s UTC day and',
  'month budgets, atomically in the cache: its prompt counted as one token per UTF-8 byte (no tokenizer',
  'makes more, whatever the script) up to the context window, plus its output cap, at the dearest model',
  'it may fall back to. It then settles with the real cost, or releases the reservation when no model',
  'answered. A request that does not fit is refused with 429, the reset time and `Retry-After`. The',
  '`ai_usage` ledger is the source of truth: a budget total the cache no longer has (evicted, or the',
  'memory cache restarted) starts again from the ledger’s sum for the period, so only what requests',
  'under way held at that moment is forgotten.',
  '',
  '**Prompt templates** live in `src/modules/ai/prompts/` as versioned Handlebars files',
  '(`summarize.v1.handlebars`), rendered by `createPrompts().render(name, variables)` with the',
  'variables typed in `src/modules/ai/prompts.ts`. A changed prompt is a new version: a new file and a',
  'new line in `PromptVariables`. User text placed inside a tag goes through the `escapeTag` helper',
  '(see the summarize prompt), so it cannot close that tag and add instructions after it.',
  '',
  'Settings:',
  '',
  '- `<PROVIDER>_API_KEY` (`OPENAI_`, `ANTHROPIC_`, `GEMINI_`, for the providers chosen): the key, required',
  '  in production. `<PROVIDER>_BASE_URL` points the provider at a gateway or a test server (OpenAI’s',
  '  with `/v1`); the tests point every app at local fakes.',
  '- `AI_MAX_OUTPUT_TOKENS`: cap on output tokens per request.',
  '- `AI_ATTEMPT_TIMEOUT_MS`: silence allowed per attempt (before the first token and between chunks).',
  '- `AI_REQUEST_TIMEOUT_MS`: how long an answer may take to start, retries and fallbacks included. It',
  '  does not cut an answer that is streaming: `AI_ATTEMPT_TIMEOUT_MS` does, once the model goes silent.',
  '- `AI_BUDGET_DAILY_USD`, `AI_BUDGET_MONTHLY_USD`: per-user budgets (0: none).',
  '- `AI_RATE_LIMIT_MAX` per `AI_RATE_LIMIT_WINDOW_MS`: AI requests per user, on top of the global limit.',
].join('\n');

/** The gateway every provider plugs into: router, breaker, budgets, ledger and the /api/v1/ai routes. */
export const ai: ModuleManifest = {
  id: 'ai',
  description: 'AI gateway: one router over the chosen providers, SSE streaming, usage, cost and budgets',
  when: (a) => a.ai.length > 0,
  // With an auth module, the tests that need signed-in callers: 401 without a token, admins' usage totals.
  templateDirs: (a) => ['ai', a.auth === 'none' ? 'ai-shared' : 'ai-auth'],
  dependencies: ['handlebars'],
  tables: () => ['ai-usage'],
  env: [
    {
      name: 'AI_MAX_OUTPUT_TOKENS',
      example: '4096',
      description: 'Cap on output tokens per AI request (a request asking for more gets this)',
      schema: 'z.coerce.number().int().positive().default(4096)',
    },
    {
      name: 'AI_ATTEMPT_TIMEOUT_MS',
      example: '30000',
      description:
        'Silence allowed per provider attempt, before the first token and between chunks, before it counts as a timeout',
      schema: 'z.coerce.number().int().positive().default(30_000)',
    },
    {
      name: 'AI_REQUEST_TIMEOUT_MS',
      example: '120000',
      description:
        'Time an AI answer may take to start, retries and fallbacks included; once it streams, AI_ATTEMPT_TIMEOUT_MS governs',
      schema: 'z.coerce.number().int().positive().default(120_000)',
    },
    {
      name: 'AI_BUDGET_DAILY_USD',
      example: '5',
      description: 'What one user may spend on AI per UTC day, in US dollars (0: no daily budget)',
      schema: 'z.coerce.number().nonnegative().default(5)',
    },
    {
      name: 'AI_BUDGET_MONTHLY_USD',
      example: '50',
      description: 'What one user may spend on AI per UTC month, in US dollars (0: no monthly budget)',
      schema: 'z.coerce.number().nonnegative().default(50)',
    },
    {
      name: 'AI_RATE_LIMIT_MAX',
      example: '20',
      description: 'AI requests per user per AI_RATE_LIMIT_WINDOW_MS, on top of the global rate limit',
      schema: 'z.coerce.number().int().positive().default(20)',
    },
    {
      name: 'AI_RATE_LIMIT_WINDOW_MS',
      example: '60000',
      description: 'Window of AI_RATE_LIMIT_MAX',
      schema: 'z.coerce.number().int().positive().default(60_000)',
    },
  ],
  slots: {
    deps: [
      {
        name: 'ai',
        imports: ["import { type Ai, createAi } from './lib/ai/gateway.js';"],
        type: 'Ai',
        create: 'createAi({ env, logger, cache, db })',
      },
    ],
    routes: [
      {
        imports: ["import { aiRoutes } from './modules/ai/index.js';"],
        path: '/api/v1',
        router: 'aiRoutes(deps)',
      },
    ],
    // Every test app talks to fakes of the chosen providers (test/upstreams.ts), never to the network.
    testServices: [
      {
        name: 'aiUpstreams',
        imports: ["import { startAiTestService } from './upstreams.js';"],
        start: 'startAiTestService()',
      },
    ],
    imageFiles: [
      { path: 'src/modules/ai/prompts', why: 'dist/modules/ai/prompts.js reads the prompt templates from this path.' },
    ],
    readme: [{ title: 'AI gateway', body: AI_README }],
  },
};

export const aiOpenai: ModuleManifest = {
  id: 'ai-openai',
  description: 'OpenAI chat models through the openai SDK',
  when: (a) => a.ai.includes('openai'),
  dependencies: ['openai'],
  env: providerEnv('OPENAI', 'OpenAI', 'sk-...', 'https://api.openai.com/v1', ', with /v1'),
  slots: {
    aiProviders: [
      {
        name: 'openai',
        imports: ["import { createOpenAiProvider } from './providers/openai.js';"],
        create: `createOpenAiProvider({
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    timeoutMs: env.AI_ATTEMPT_TIMEOUT_MS,
  })`,
      },
    ],
  },
};

export const aiAnthropic: ModuleManifest = {
  id: 'ai-anthropic',
  description: 'Anthropic Claude models through @anthropic-ai/sdk',
  when: (a) => a.ai.includes('anthropic'),
  dependencies: ['@anthropic-ai/sdk'],
  env: providerEnv('ANTHROPIC', 'Anthropic', 'sk-ant-...', 'https://api.anthropic.com', ', without /v1'),
  slots: {
    aiProviders: [
      {
        name: 'anthropic',
        imports: ["import { createAnthropicProvider } from './providers/anthropic.js';"],
        create: `createAnthropicProvider({
    apiKey: env.ANTHROPIC_API_KEY,
    baseURL: env.ANTHROPIC_BASE_URL,
    timeoutMs: env.AI_ATTEMPT_TIMEOUT_MS,
  })`,
      },
    ],
  },
};

export const aiGemini: ModuleManifest = {
  id: 'ai-gemini',
  description: 'Google Gemini models through @google/genai',
  when: (a) => a.ai.includes('gemini'),
  dependencies: ['@google/genai'],
  env: providerEnv('GEMINI', 'Gemini', 'from Google AI Studio', 'https://generativelanguage.googleapis.com', ''),
  slots: {
    aiProviders: [
      {
        name: 'gemini',
        imports: ["import { createGeminiProvider } from './providers/gemini.js';"],
        create: 'createGeminiProvider({ apiKey: env.GEMINI_API_KEY, baseUrl: env.GEMINI_BASE_URL })',
      },
    ],
  },
};
