import type { Logger } from '../logger.js';
import type { Breaker, BreakerState } from './breaker.js';
import { promptTokensAtMost, worstCaseMicros } from './cost.js';
import { AiError, type AiErrorKind, loggableMessage } from './errors.js';
import { type AiConfig, type ModelSpec, TIERS, type Tier } from './models.js';
import { chooseTier, estimatePromptTokens } from './scorer.js';
import type { AiProvider, ChatMessage, ChatRequest, FinishReason, ProviderName, StreamEvent, Usage } from './types.js';

export interface RouteRequest {
  messages: ChatMessage[];
  system?: string;
  /** Skips the scorer. */
  tier?: Tier;
  /** A model id from models.ts: only that model is tried (with retries, without fallback). */
  model?: string;
  maxOutputTokens?: number;
  temperature?: number;
  json?: boolean;
}

/**
 * What `stream()` yields. `start` comes first, once a candidate is committed to (its first token),
 * and says which one and after how many attempts. The last event is `finish` or `error`, never both.
 */
export type RouterEvent =
  | { type: 'start'; provider: ProviderName; model: string; tier?: Tier; attempts: number }
  | { type: 'text-delta'; text: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'error'; code: AiErrorKind; retryable: boolean; message: string };

export interface ChatResult {
  text: string;
  provider: ProviderName;
  model: string;
  tier?: Tier;
  attempts: number;
  finishReason: FinishReason;
  /** Absent when the provider sent none; cost.ts then estimates. */
  usage?: Usage;
}

export interface RetryPolicy {
  /** Attempts per candidate before the next one is tried. */
  attemptsPerCandidate: number;
  /** First backoff; each retry doubles it, with jitter. */
  baseDelayMs: number;
  /** Longest wait before a retry. A Retry-After beyond it sends the request to the next candidate now. */
  maxDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attemptsPerCandidate: 3, baseDelayMs: 250, maxDelayMs: 5_000 };

/** An attempt about to start: lets the caller name the model it was trying when the request fails. */
export interface AttemptInfo {
  provider: ProviderName;
  model: string;
  attempts: number;
}

/** An attempt that failed after producing output nobody will see: the provider bills it all the same. */
export interface SpentAttempt {
  provider: ProviderName;
  model: string;
  outputText: string;
  /** Absent when the provider sent none before failing; the cost is then estimated. */
  usage?: Usage;
}

export interface CallOptions {
  signal: AbortSignal;
  onAttempt?: (attempt: AttemptInfo) => void;
  onSpent?: (spent: SpentAttempt) => void;
}

export interface AiRouterOptions {
  providers: readonly AiProvider[];
  breaker: Breaker;
  logger: Logger;
  config: AiConfig;
  /** Silence a provider is allowed, before its first token and between chunks, before the attempt times out. */
  attemptTimeoutMs: number;
  /** Wait for an answer to start, retries and fallbacks included (not the time it then streams). */
  requestTimeoutMs: number;
  /** Cap on output tokens (AI_MAX_OUTPUT_TOKENS), and the default when a request names none. */
  maxOutputTokens: number;
  retry?: Partial<RetryPolicy>;
}

interface Candidate {
  provider: AiProvider;
  model: string;
  spec: ModelSpec;
  /** `provider:model`, the breaker's key. */
  key: string;
}

/** A model's spec: own properties only, so a request naming `constructor` or `__proto__` names no model. */
export const modelSpec = (config: AiConfig, provider: ProviderName, model: string): ModelSpec | undefined => {
  const models = config.models[provider];
  return models && Object.hasOwn(models, model) ? models[model] : undefined;
};

const timeoutReason = (message: string) => new DOMException(message, 'TimeoutError');

/**
 * The whole-request deadline (AI_REQUEST_TIMEOUT_MS). It bounds the wait for an answer to start,
 * retries and fallbacks included, and is paused while an attempt streams: the attempt's silence
 * timeout governs then, so a long, healthy answer is never cut.
 */
const startDeadline = (ms: number) => {
  const controller = new AbortController();
  const at = Date.now() + ms;
  const message = `no answer within ${ms} ms`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const resume = () => {
    clearTimeout(timer);
    const left = at - Date.now();
    if (left <= 0) controller.abort(timeoutReason(message));
    else timer = setTimeout(() => controller.abort(timeoutReason(message)), left);
  };
  resume();
  return { signal: controller.signal, at, message, resume, pause: () => clearTimeout(timer) };
};

/** `promise`, or the signal's reason as soon as it aborts: a provider that ignores its signal cannot hold us. */
const unlessAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * One call to one provider. Fails as a `timeout` when the provider is silent for `silenceMs` while we
 * wait for its next event (time the caller spends on an event does not count); ending early, by
 * error or by the caller breaking off, aborts the upstream call.
 */
async function* attempt(
  provider: AiProvider,
  request: ChatRequest,
  signal: AbortSignal,
  silenceMs: number,
): AsyncGenerator<Exclude<StreamEvent, { type: 'error' }>> {
  const silence = new AbortController();
  const both = AbortSignal.any([signal, silence.signal]);
  const iterator = provider.stream(request, { signal: both })[Symbol.asyncIterator]();
  try {
    while (true) {
      const message = `${provider.name}: no answer from ${request.model} in ${silenceMs} ms`;
      const timer = setTimeout(() => silence.abort(timeoutReason(message)), silenceMs);
      const next = await unlessAborted(iterator.next(), both)
        .catch((err: unknown) => {
          if (silence.signal.aborted && !signal.aborted) {
            throw new AiError('timeout', message, provider.name, undefined, undefined, { cause: err });
          }
          throw err;
        })
        .finally(() => clearTimeout(timer));
      if (next.done) return;
      if (next.value.type === 'error') throw next.value.error;
      yield next.value;
    }
  } finally {
    silence.abort();
    // Not awaited: a provider stuck in `next()` would never finish `return()`.
    iterator.return?.().catch(() => {});
  }
}

/** What the log says of a failed attempt: which model, how it failed and the provider's reason. */
const failure = (c: Candidate, error: AiError) => ({
  provider: c.provider.name,
  model: c.model,
  kind: error.kind,
  status: error.status,
  reason: loggableMessage(error),
});

/** Tells `onSpent` of the output a failed, unseen attempt produced (held back, now dropped), if any. */
const reportSpent = (held: RouterEvent[], c: Candidate, onSpent: CallOptions['onSpent']) => {
  let outputText = '';
  let usage: Usage | undefined;
  for (const event of held) {
    if (event.type === 'text-delta') outputText += event.text;
    else if (event.type === 'usage') usage = event.usage;
  }
  if (outputText || usage) {
    onSpent?.({ provider: c.provider.name, model: c.model, outputText, ...(usage && { usage }) });
  }
};

/** A provider module let through an error it should have classified: treat it as a server fault. */
const unexpected = (err: unknown, c: Candidate): AiError =>
  new AiError(
    'server',
    `${c.key}: ${err instanceof Error ? err.message : String(err)}`,
    c.provider.name,
    undefined,
    undefined,
    {
      cause: err,
    },
  );

/**
 * The gateway's router: picks a tier's candidates, calls them in turn and acts on each error's kind.
 * Retryable errors (rate limit, overload, 5xx, timeout, network) retry with jittered backoff, honouring
 * Retry-After up to a cap, then move on to the next candidate; a prompt too long moves to a model with a
 * larger context; a refusal by one model (`unsupported`) moves to the next candidate at once; auth and
 * bad requests fail at once, since they would fail everywhere. A stream falls
 * back transparently until its first token; after that a failure ends it with an `error` event.
 * Providers are created with their SDK's retries off, so every retry is one of these.
 */
export const createAiRouter = (options: AiRouterOptions) => {
  const { breaker, logger, config, attemptTimeoutMs, requestTimeoutMs } = options;
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const providers = new Map(options.providers.map((p) => [p.name, p]));

  const candidate = (name: ProviderName, model: string): Candidate | undefined => {
    const provider = providers.get(name);
    const spec = modelSpec(config, name, model);
    return provider && spec ? { provider, model, spec, key: `${name}:${model}` } : undefined;
  };
  const tierCandidates = (tier: Tier): Candidate[] =>
    config.tiers[tier].flatMap((c) => candidate(c.provider, c.model) ?? []);
  /** Every configured model with a context window above `tokens`, the smallest tier first. */
  const widerThan = (tokens: number): Candidate[] => {
    const all = TIERS.flatMap(tierCandidates).filter((c) => c.spec.contextWindow > tokens);
    return all.filter((c, i) => all.findIndex((other) => other.key === c.key) === i);
  };

  /** The tier and the candidates to try, in order; skipped providers are those this project lacks. */
  const plan = (request: RouteRequest): { tier?: Tier; candidates: Candidate[]; pinned: boolean } => {
    if (request.model) {
      const pinned = [...providers.keys()].flatMap((name) => candidate(name, request.model ?? '') ?? []);
      if (pinned.length === 0) {
        throw new AiError('bad_request', `model ${request.model} is not in models.ts for this project's providers`);
      }
      return { candidates: pinned, pinned: true };
    }
    const tier = chooseTier(request, config.scoring);
    const promptTokens = estimatePromptTokens(request);
    const fitting = tierCandidates(tier).filter((c) => c.spec.contextWindow > promptTokens);
    const candidates = fitting.length > 0 ? fitting : widerThan(promptTokens);
    if (candidates.length === 0) {
      throw new AiError('context_length', `a prompt of about ${promptTokens} tokens fits no configured model`);
    }
    return { tier, candidates, pinned: false };
  };

  const chatRequest = (request: RouteRequest, c: Candidate): ChatRequest => ({
    model: c.model,
    ...(request.system !== undefined && { system: request.system }),
    messages: request.messages,
    maxOutputTokens: Math.min(
      request.maxOutputTokens ?? options.maxOutputTokens,
      options.maxOutputTokens,
      c.spec.maxOutputTokens,
    ),
    // A model that takes only its default temperature refuses any other: leave it out for that one.
    ...(request.temperature !== undefined &&
      c.spec.supportsTemperature !== false && { temperature: request.temperature }),
    ...(request.json && { json: true }),
  });

  /**
   * Every candidate the request may end up on: its plan, and, when the prompt may not fit one of them,
   * the larger-context models route() falls back to on a `context_length` error.
   */
  const reachable = (request: RouteRequest, promptTokens: number): Candidate[] => {
    const { candidates, pinned } = plan(request);
    if (pinned) return candidates;
    const mayOverflow = candidates.filter(
      (c) => promptTokens + chatRequest(request, c).maxOutputTokens > c.spec.contextWindow,
    );
    return [...candidates, ...mayOverflow.flatMap((c) => widerThan(c.spec.contextWindow))];
  };

  /** Equal jitter: at least half the exponential step, so retries neither come at once nor in lockstep. */
  const backoffMs = (retry: number, error: AiError): number => {
    const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
    return Math.max(step / 2 + (Math.random() * step) / 2, error.retryAfterMs ?? 0);
  };

  /**
   * The request's events. `commit` says when the answer is out of fallback's reach: at the first token
   * for a stream the client reads as it comes, at the end for `chat()`, whose caller sees nothing before.
   */
  async function* route(
    request: RouteRequest,
    { signal: clientSignal, onAttempt, onSpent }: CallOptions,
    commit: 'first-token' | 'end',
  ): AsyncGenerator<RouterEvent> {
    const { tier, candidates, pinned } = plan(request);
    const deadline = startDeadline(requestTimeoutMs);
    const signal = AbortSignal.any([clientSignal, deadline.signal]);
    // The client leaving or the deadline passing ends the request, whatever the provider says then.
    const stopped = (): AiError | undefined => {
      if (clientSignal.aborted) return new AiError('aborted', 'the request was aborted');
      if (deadline.signal.aborted) return new AiError('timeout', deadline.message);
      return undefined;
    };
    const queue = [...candidates];
    const tried = new Set<string>();
    let attempts = 0;
    let lastError: AiError | undefined;
    try {
      for (let c = queue.shift(); c; c = queue.shift()) {
        tried.add(c.key);
        for (let retry = 0; retry < policy.attemptsPerCandidate; retry++) {
          if (!(await breaker.allow(c.key))) {
            lastError ??= new AiError('overloaded', `${c.key}: circuit open`, c.provider.name);
            break;
          }
          attempts++;
          onAttempt?.({ provider: c.provider.name, model: c.model, attempts });
          const start: RouterEvent = {
            type: 'start',
            provider: c.provider.name,
            model: c.model,
            ...(tier && { tier }),
            attempts,
          };
          const held: RouterEvent[] = []; // until the commit: dropped if this attempt fails
          let committed = false;
          let streaming = false;
          let finish: RouterEvent | undefined;
          try {
            for await (const event of attempt(c.provider, chatRequest(request, c), signal, attemptTimeoutMs)) {
              if (event.type === 'text-delta' && !streaming) {
                streaming = true;
                deadline.pause();
              }
              if (event.type === 'finish') {
                finish = event; // held back: the router's last word is `finish` only once nothing can fail
                continue;
              }
              if (committed) {
                yield event;
                continue;
              }
              held.push(event);
              if (commit === 'first-token' && event.type === 'text-delta') {
                committed = true;
                yield start;
                yield* held;
              }
            }
            if (!finish)
              throw new AiError('network', `${c.key}: the stream ended before the answer did`, c.provider.name);
            await breaker.success(c.key);
            if (!committed) {
              yield start;
              yield* held;
            }
            yield finish;
            return;
          } catch (err) {
            if (streaming && !committed) deadline.resume(); // the answer has to start again
            const error = stopped() ?? (err instanceof AiError ? err : unexpected(err, c));
            if (error.retryable && !stopped()) await breaker.failure(c.key);
            if (!committed) reportSpent(held, c, onSpent);
            if (committed) {
              logger.warn({ ...failure(c, error), attempts }, 'ai: stream failed after its first token');
              yield { type: 'error', code: error.kind, retryable: error.retryable, message: error.message };
              return;
            }
            lastError = error;
            if (stopped()) throw error;
            logger.warn({ ...failure(c, error), attempts }, 'ai: attempt failed');
            if (error.kind === 'context_length' && !pinned) {
              const wider = [...queue, ...widerThan(c.spec.contextWindow)];
              queue.splice(
                0,
                queue.length,
                ...wider.filter((w) => w.spec.contextWindow > c.spec.contextWindow && !tried.has(w.key)),
              );
              break;
            }
            if (error.kind === 'unsupported') break; // this model refused, the next one may not
            if (!error.retryable) throw error;
            // A provider that went silent is likely still stuck: another candidate answers sooner.
            if (error.kind === 'timeout' && queue.length > 0) break;
            const delay = backoffMs(retry, error);
            const last = retry + 1 >= policy.attemptsPerCandidate;
            if (last || delay > policy.maxDelayMs || Date.now() + delay >= deadline.at) break;
            await sleep(delay, signal).catch((reason: unknown) => {
              throw stopped() ?? reason;
            });
          }
        }
      }
      throw lastError ?? new AiError('overloaded', 'no candidate could take the request');
    } finally {
      deadline.pause();
    }
  }

  return {
    /** Streams the answer; throws an AiError when no candidate could start one (nothing was sent yet). */
    stream: (request: RouteRequest, options: CallOptions): AsyncGenerator<RouterEvent> =>
      route(request, options, 'first-token'),

    /** The whole answer at once. Any failure before its end may fall back, since the caller has seen nothing. */
    chat: async (request: RouteRequest, options: CallOptions): Promise<ChatResult> => {
      let text = '';
      let usage: Usage | undefined;
      let start: Extract<RouterEvent, { type: 'start' }> | undefined;
      let finishReason: FinishReason = 'other';
      // Committed only at the end, so failures throw instead of arriving as an `error` event.
      for await (const event of route(request, options, 'end')) {
        if (event.type === 'start') start = event;
        else if (event.type === 'text-delta') text += event.text;
        else if (event.type === 'usage') usage = event.usage;
        else if (event.type === 'finish') finishReason = event.reason;
      }
      if (!start) throw new AiError('server', 'the answer ended without starting');
      const { provider, model, tier, attempts } = start;
      return { text, provider, model, ...(tier && { tier }), attempts, finishReason, ...(usage && { usage }) };
    },

    /**
     * The most the request can cost on any model it may reach, fallbacks to a larger context included:
     * what the budget reserves. Its prompt counts as many tokens as it has bytes, up to the model's
     * context window, so no script or parallel burst can spend far past a budget.
     */
    worstCaseMicros: (request: RouteRequest, at = new Date()): number => {
      const promptTokens = promptTokensAtMost(request);
      const costs = reachable(request, promptTokens).map((c) => {
        const { maxOutputTokens } = chatRequest(request, c);
        return worstCaseMicros(Math.min(promptTokens, c.spec.contextWindow), maxOutputTokens, c.spec, at);
      });
      return Math.max(...costs);
    },

    /** For GET /api/v1/ai/status: the providers, each tier's models and their circuits. */
    status: async () => ({
      providers: [...providers.keys()],
      tiers: Object.fromEntries(
        await Promise.all(
          TIERS.map(async (t) => [
            t,
            await Promise.all(
              tierCandidates(t).map(async (c) => ({
                provider: c.provider.name,
                model: c.model,
                contextWindow: c.spec.contextWindow,
                breaker: await breaker.state(c.key),
              })),
            ),
          ]),
        ),
      ) as Record<Tier, { provider: ProviderName; model: string; contextWindow: number; breaker: BreakerState }[]>,
    }),
  };
};

export type AiRouter = ReturnType<typeof createAiRouter>;
