import type { Ai } from '../ai/gateway.js';
import type { Usage } from './recorder.js';

/**
 * The AI gateway, with each request's tokens (input, cached and output) also metered as `ai.tokens`
 * when its ledger row is written: one count per request, whichever route or job made it.
 */
export const meteredAi = (ai: Ai, usage: Usage, ownerOf: (userKey: string) => string): Ai => ({
  ...ai,
  ledger: {
    ...ai.ledger,
    async record(row) {
      await ai.ledger.record(row);
      const tokens =
        (row.inputTokens ?? 0) + (row.cachedInputTokens ?? 0) + (row.cacheWriteTokens ?? 0) + (row.outputTokens ?? 0);
      usage.record(ownerOf(row.userKey), 'ai.tokens', tokens);
    },
  },
});
