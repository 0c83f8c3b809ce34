import type { Context } from 'hono';
import type { BudgetPeriod } from '../../lib/ai/budget.js';
import type { AiError, AiErrorKind } from '../../lib/ai/errors.js';
import { problem } from '../../lib/errors.js';

/** Without a hint from the provider, when to retry: about the circuit breaker's cooldown. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;

const BUSY = 'Every AI model that could answer is busy or failing; retry later';

/**
 * What the client is told for each kind of failure: never the provider's own message, which may
 * name accounts, keys or internals. A bad key is this server's fault (502), not the client's.
 */
export const FAILURES: Record<AiErrorKind, { status: 400 | 502 | 503; detail: string }> = {
  rate_limit: { status: 503, detail: BUSY },
  overloaded: { status: 503, detail: BUSY },
  server: { status: 503, detail: BUSY },
  network: { status: 503, detail: BUSY },
  timeout: { status: 503, detail: 'No AI model answered in time; retry later' },
  context_length: { status: 400, detail: 'The conversation is too long for every configured model' },
  unsupported: { status: 400, detail: 'No AI model that could answer accepts this request as it is' },
  bad_request: { status: 400, detail: 'The AI provider refused the request as invalid' },
  auth: { status: 502, detail: 'The AI provider refused this server’s credentials' },
  aborted: { status: 503, detail: 'The request was aborted' },
};

const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

/** A failed AI call as problem+json. Errors the gateway raised itself (no provider) say what was wrong. */
export const aiFailure = (c: Context, error: AiError) => {
  const { status, detail } = FAILURES[error.kind];
  if (status === 503) c.header('Retry-After', seconds(error.retryAfterMs ?? DEFAULT_RETRY_AFTER_SECONDS * 1000));
  return problem(c, status, { detail: status === 400 && !error.provider ? error.message : detail });
};

/** Over budget: 429 with the time the period resets, as a date and as Retry-After. */
export const overBudget = (
  c: Context,
  { period, limitMicros, resetAt }: { period: BudgetPeriod; limitMicros: number; resetAt: Date },
) => {
  c.header('Retry-After', seconds(resetAt.getTime() - Date.now()));
  return problem(c, 429, {
    detail: `The ${period === 'day' ? 'daily' : 'monthly'} AI budget is spent; it resets at ${resetAt.toISOString()}`,
    period,
    limitMicros,
    resetAt: resetAt.toISOString(),
  });
};
