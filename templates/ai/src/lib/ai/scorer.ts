import type { Scoring, Tier } from './models.js';
import type { ChatMessage } from './types.js';

/**
 * Tokens in `text`, estimated as one per 4 characters: close for English prose, low for code and
 * for scripts like Chinese. Good enough to pick a tier and reserve a budget, and it costs no tokenizer
 * per provider; the provider's own count is what gets billed.
 */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** What the scorer reads of a request. */
export interface ScoredRequest {
  system?: string;
  messages: readonly ChatMessage[];
  json?: boolean;
  /** Named by the caller: wins over the estimate. */
  tier?: Tier;
}

export const estimatePromptTokens = (request: ScoredRequest): number =>
  estimateTokens(request.system ?? '') + request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);

const rank: Record<Tier, number> = { small: 0, standard: 1, large: 2 };
const larger = (a: Tier, b: Tier): Tier => (rank[a] >= rank[b] ? a : b);

/**
 * The tier a request needs, from its estimated size, its depth and whether it asks for JSON.
 * Deterministic: the same request always gets the same tier, so routing is easy to reason about.
 */
export const chooseTier = (request: ScoredRequest, scoring: Scoring): Tier => {
  if (request.tier) return request.tier;
  const tokens = estimatePromptTokens(request);
  const depth = request.messages.length;
  let tier: Tier = 'small';
  if (tokens > scoring.standardAboveTokens || depth > scoring.standardAboveMessages) tier = 'standard';
  if (tokens > scoring.largeAboveTokens || depth > scoring.largeAboveMessages) tier = 'large';
  return request.json ? larger(tier, scoring.jsonTier) : tier;
};
