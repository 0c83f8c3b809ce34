import type { ProviderName } from './types.js';

/**
 * What went wrong, as the router needs to know it: retry, try the next candidate, try a model with
 * a larger context, or give up (a bad key or a bad request fails the same way everywhere).
 * `unsupported` is a refusal of one model only (it does not exist for this key, or it refuses a
 * parameter): the next candidate is tried at once, without a retry.
 */
export type AiErrorKind =
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'network'
  | 'context_length'
  | 'unsupported'
  | 'auth'
  | 'bad_request'
  | 'aborted';

export class AiError extends Error {
  constructor(
    readonly kind: AiErrorKind,
    message: string,
    readonly provider?: ProviderName,
    readonly status?: number,
    /** From the provider's `Retry-After` (or its own retry hint), when it sent one. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AiError';
  }

  /** Worth another attempt, on this candidate or the next. */
  get retryable(): boolean {
    return ['rate_limit', 'overloaded', 'server', 'timeout', 'network'].includes(this.kind);
  }
}

/**
 * How a 400 reads when one model refuses what another may take: "Unsupported value: 'temperature'
 * ... with this model", "... is not supported for generateContent", "User location is not supported".
 */
const ONE_MODEL_REFUSAL = /unsupported|not supported|does not support|not enabled|not available|(for|with) this model/i;

/** The kind an HTTP status means, for providers that answer with plain statuses. */
export const kindOfStatus = (status: number, message = ''): AiErrorKind => {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'server';
  if (/context|too long|maximum.*tokens|token limit/i.test(message)) return 'context_length';
  // No such model (retired, or not open to this key): another candidate may have one.
  if (status === 404) return 'unsupported';
  if (ONE_MODEL_REFUSAL.test(message)) return 'unsupported';
  return 'bad_request';
};

// API keys by their shapes: OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Google (AIza).
const KEY_SHAPES = /\b(sk-[\w-]{8,}|AIza[\w-]{20,})/g;

/**
 * A provider's error message fit for the log: what an operator needs to fix a refusal ("Unsupported
 * value: 'temperature'", "organization must be verified"), cut to 300 characters, anything shaped like
 * an API key masked. Clients never see it (problems.ts).
 */
export const loggableMessage = (error: Error): string => error.message.replace(KEY_SHAPES, '[key]').slice(0, 300);

/** `Retry-After` as milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export const retryAfterMs = (value: string | null | undefined, now = Date.now()): number | undefined => {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};
