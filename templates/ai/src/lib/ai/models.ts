import type { ProviderName } from './types.js';

/**
 * The AI gateway's one config file: which models each tier tries, in order, and what each model
 * costs. Edit it freely; `npm run typecheck` catches a tier that names a model not listed below.
 *
 * Defaults, one model per tier and provider, all listed by the SDK versions this project pins:
 * - OpenAI: gpt-5-mini (small), gpt-5 (standard, large). The SDK also lists gpt-5.x models; add one
 *   below with its prices to use it.
 * - Anthropic: claude-haiku-4-5, claude-sonnet-4-6, claude-opus-4-6. The SDK no longer lists
 *   claude-sonnet-4-5 or claude-opus-4-1, and marks claude-opus-4-5 deprecated.
 * - Gemini: gemini-2.5-flash-lite, gemini-2.5-flash, gemini-2.5-pro (1M-token context: the place a
 *   prompt too long for the others goes).
 * Prices are the providers' list prices at each date; check their pricing pages before going live.
 */

export type Tier = 'small' | 'standard' | 'large';

export const TIERS: readonly Tier[] = ['small', 'standard', 'large'];

/** US dollars per million tokens, from `effective` (a UTC date) until the next period's date. */
export interface PricePeriod {
  effective: string;
  input: number;
  cachedInput: number;
  /** Writing the prompt cache (Anthropic's 5-minute cache); 0 where caching is implicit. */
  cacheWrite: number;
  /** Output, reasoning included. */
  output: number;
  /** Higher prices for the whole request once its prompt passes `aboveInputTokens` (Gemini 2.5 Pro). */
  longContext?: { aboveInputTokens: number; input: number; cachedInput: number; output: number };
}

export interface ModelSpec {
  /** Input and output tokens together, as the provider states it. */
  contextWindow: number;
  maxOutputTokens: number;
  /** Oldest first. A price change is a new period: requests made before it keep their old cost. */
  prices: readonly PricePeriod[];
}

export const models = {
  openai: {
    'gpt-5-mini': {
      contextWindow: 400_000,
      maxOutputTokens: 128_000,
      prices: [{ effective: '2025-08-07', input: 0.25, cachedInput: 0.025, cacheWrite: 0, output: 2 }],
    },
    'gpt-5': {
      contextWindow: 400_000,
      maxOutputTokens: 128_000,
      prices: [{ effective: '2025-08-07', input: 1.25, cachedInput: 0.125, cacheWrite: 0, output: 10 }],
    },
  },
  anthropic: {
    'claude-haiku-4-5': {
      contextWindow: 200_000,
      maxOutputTokens: 64_000,
      prices: [{ effective: '2025-10-15', input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 }],
    },
    'claude-sonnet-4-6': {
      contextWindow: 200_000,
      maxOutputTokens: 64_000,
      prices: [{ effective: '2026-02-17', input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 }],
    },
    'claude-opus-4-6': {
      contextWindow: 200_000,
      maxOutputTokens: 64_000,
      prices: [{ effective: '2026-02-05', input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 }],
    },
  },
  gemini: {
    'gemini-2.5-flash-lite': {
      contextWindow: 1_048_576,
      maxOutputTokens: 65_536,
      prices: [{ effective: '2025-07-22', input: 0.1, cachedInput: 0.01, cacheWrite: 0, output: 0.4 }],
    },
    'gemini-2.5-flash': {
      contextWindow: 1_048_576,
      maxOutputTokens: 65_536,
      prices: [{ effective: '2025-06-17', input: 0.3, cachedInput: 0.03, cacheWrite: 0, output: 2.5 }],
    },
    'gemini-2.5-pro': {
      contextWindow: 1_048_576,
      maxOutputTokens: 65_536,
      prices: [
        {
          effective: '2025-06-17',
          input: 1.25,
          cachedInput: 0.125,
          cacheWrite: 0,
          output: 10,
          longContext: { aboveInputTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 },
        },
      ],
    },
  },
} satisfies Record<ProviderName, Record<string, ModelSpec>>;

/** One provider's model, checked against the list above. */
export type Candidate = {
  [P in ProviderName]: { provider: P; model: keyof (typeof models)[P] & string };
}[ProviderName];

/**
 * Candidates per tier, in order of preference. The router tries them in turn, skipping providers
 * this project was not made with and models whose circuit breaker is open.
 */
export const tiers: Record<Tier, readonly Candidate[]> = {
  small: [
    { provider: 'openai', model: 'gpt-5-mini' },
    { provider: 'anthropic', model: 'claude-haiku-4-5' },
    { provider: 'gemini', model: 'gemini-2.5-flash-lite' },
  ],
  standard: [
    { provider: 'openai', model: 'gpt-5' },
    { provider: 'anthropic', model: 'claude-sonnet-4-6' },
    { provider: 'gemini', model: 'gemini-2.5-flash' },
  ],
  large: [
    { provider: 'anthropic', model: 'claude-opus-4-6' },
    { provider: 'openai', model: 'gpt-5' },
    { provider: 'gemini', model: 'gemini-2.5-pro' },
  ],
};

/** How the scorer picks a tier when the request names none (see scorer.ts). */
export interface Scoring {
  /** Estimated prompt tokens above which a request needs the standard tier, and the large one. */
  standardAboveTokens: number;
  largeAboveTokens: number;
  /** Messages in the conversation above which it needs the standard tier, and the large one. */
  standardAboveMessages: number;
  largeAboveMessages: number;
  /** Asking for JSON needs at least this tier: small models break the format more often. */
  jsonTier: Tier;
}

export const scoring: Scoring = {
  standardAboveTokens: 1_000,
  largeAboveTokens: 20_000,
  standardAboveMessages: 6,
  largeAboveMessages: 30,
  jsonTier: 'standard',
};

/** What the router reads: this file's exports, or a test's own. */
export interface AiConfig {
  models: Partial<Record<ProviderName, Record<string, ModelSpec>>>;
  tiers: Record<Tier, readonly { provider: ProviderName; model: string }[]>;
  scoring: Scoring;
}

export const aiConfig: AiConfig = { models, tiers, scoring };
