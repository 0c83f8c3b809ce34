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

/** The gateway every provider plugs into: router, breaker, budgets, ledger and the /api/v1/ai routes. */
export const ai: ModuleManifest = {
  id: 'ai',
  description: 'AI gateway: one router over the chosen providers, SSE streaming, usage, cost and budgets',
  when: (a) => a.ai.length > 0,
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
      description: 'Time one provider attempt may take before the router moves on',
      schema: 'z.coerce.number().int().positive().default(30_000)',
    },
    {
      name: 'AI_REQUEST_TIMEOUT_MS',
      example: '120000',
      description: 'Time a whole AI request may take, retries and fallbacks included',
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
