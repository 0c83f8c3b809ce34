import { Counter } from 'prom-client';
import type { Ai } from '../ai/gateway.js';
import type { Metrics } from './metrics.js';

/**
 * The AI gateway, with each request counted when its ledger row is written: requests by provider, model
 * and status, tokens by kind, and cost in US dollars. Models come from src/lib/ai/models.ts, so the
 * labels stay few; never a user or a prompt.
 */
export const measuredAi = (ai: Ai, { registry }: Metrics): Ai => {
  const registers = [registry];
  const requests = new Counter({
    name: 'ai_requests_total',
    help: 'AI requests by provider, model and status (completed, aborted, error)',
    labelNames: ['provider', 'model', 'status'],
    registers,
  });
  const tokens = new Counter({
    name: 'ai_tokens_total',
    help: 'AI tokens by provider, model and kind (input, cached_input, cache_write, output)',
    labelNames: ['provider', 'model', 'kind'],
    registers,
  });
  const cost = new Counter({
    name: 'ai_cost_usd_total',
    help: 'What AI requests cost, in US dollars, by provider and model',
    labelNames: ['provider', 'model'],
    registers,
  });

  return {
    ...ai,
    ledger: {
      ...ai.ledger,
      async record(row) {
        await ai.ledger.record(row);
        const { provider, model } = row;
        // A request's own row; the rows of its billed failed attempts (`<id>:attempt-N`) add tokens and cost only.
        if (!row.requestId.includes(':attempt-')) requests.inc({ provider, model, status: row.status });
        const kinds = {
          input: row.inputTokens,
          cached_input: row.cachedInputTokens,
          cache_write: row.cacheWriteTokens,
          output: row.outputTokens,
        };
        for (const [kind, count] of Object.entries(kinds)) if (count) tokens.inc({ provider, model, kind }, count);
        if (row.costMicros) cost.inc({ provider, model }, row.costMicros / 1_000_000);
      },
    },
  };
};
