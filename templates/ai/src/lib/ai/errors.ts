import type { ProviderName } from './types.js';

/**
 * What went wrong, as the router needs to know it: retry, try the next candidate, try a model with
 * a larger context, or give up (a bad key or a bad request fails the same way everywhere).
 */
export type AiErrorKind =
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'network'
  | 'context_length'
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

/** The kind an HTTP status means, for providers that answer with plain statuses. */
export const kindOfStatus = (status: number, message = ''): AiErrorKind => {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'server';
  if (/context|too long|maximum.*tokens|token limit/i.test(message)) return 'context_length';
  return 'bad_request';
};

/** `Retry-After` as milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export const retryAfterMs = (value: string | null | undefined, now = Date.now()): number | undefined => {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};
