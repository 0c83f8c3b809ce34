import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheUnavailable, createAiTestCache } from '../../../test/ai-cache.js';
import { createLogger } from '../logger.js';
import { type Breaker, createBreaker } from './breaker.js';
import { AiError } from './errors.js';
import { type AiConfig, type ModelSpec, scoring } from './models.js';
import { createAiRouter, type RouteRequest, type RouterEvent } from './router.js';
import { type AiProvider, emptyUsage, type ProviderName, type StreamEvent } from './types.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

const spec = (contextWindow: number, input = 1): ModelSpec => ({
  contextWindow,
  maxOutputTokens: 1_000,
  prices: [{ effective: '2025-01-01', input, cachedInput: 0.1, cacheWrite: 0, output: 2 }],
});

const config: AiConfig = {
  models: {
    openai: { 'o-small': spec(100_000), 'o-big': spec(400_000) },
    anthropic: { 'a-small': spec(50_000) },
    gemini: { 'g-huge': spec(1_000_000) },
  },
  tiers: {
    small: [
      { provider: 'openai', model: 'o-small' },
      { provider: 'anthropic', model: 'a-small' },
    ],
    standard: [{ provider: 'openai', model: 'o-big' }],
    large: [{ provider: 'gemini', model: 'g-huge' }],
  },
  scoring,
};

const usage = { ...emptyUsage(), inputTokens: 3, outputTokens: 2 };
const answer = (...pieces: string[]): StreamEvent[] => [
  ...pieces.map((text): StreamEvent => ({ type: 'text-delta', text })),
  { type: 'usage', usage },
  { type: 'finish', reason: 'stop' },
];

/**
 * What a fake provider does on one call: send `events` (`gapMs` apart), then fail with `error` or hang,
 * ignoring its signal.
 */
interface Step {
  events?: StreamEvent[];
  gapMs?: number;
  error?: AiError;
  hang?: boolean;
}

/** A provider that plays `steps`, one per call, then answers "ok"; `calls` records each call. */
const fake = (name: ProviderName, steps: Step[] = []) => {
  const calls: { model: string; maxOutputTokens: number; temperature?: number; signal: AbortSignal }[] = [];
  const provider: AiProvider = {
    name,
    async *stream(request, { signal }) {
      const { model, maxOutputTokens, temperature } = request;
      calls.push({ model, maxOutputTokens, ...(temperature !== undefined && { temperature }), signal });
      const step = steps.shift() ?? { events: answer('ok') };
      for (const event of step.events ?? []) {
        if (step.gapMs) await new Promise((resolve) => setTimeout(resolve, step.gapMs));
        yield event;
      }
      if (step.hang) await new Promise(() => {});
      if (step.error) throw step.error;
    },
  };
  return { provider, calls };
};

/** A breaker that always allows and records what it was told. */
const recordingBreaker = () => {
  const told: string[] = [];
  const breaker: Breaker = {
    allow: async () => true,
    success: async (key) => void told.push(`success ${key}`),
    failure: async (key) => void told.push(`failure ${key}`),
    state: async () => ({ state: 'closed', failures: 0 }),
  };
  return { breaker, told };
};

const fail = (kind: AiError['kind'], retryAfterMs?: number) =>
  new AiError(kind, `upstream ${kind}`, undefined, undefined, retryAfterMs);

const router = (providers: AiProvider[], overrides: Partial<Parameters<typeof createAiRouter>[0]> = {}) =>
  createAiRouter({
    providers,
    breaker: recordingBreaker().breaker,
    logger,
    config,
    attemptTimeoutMs: 5_000,
    requestTimeoutMs: 20_000,
    maxOutputTokens: 500,
    retry: { baseDelayMs: 1, maxDelayMs: 5_000 },
    ...overrides,
  });

const hello: RouteRequest = { messages: [{ role: 'user', content: 'Hello' }] };
const never = new AbortController().signal;

const collect = async (events: AsyncIterable<RouterEvent>) => {
  const seen: RouterEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
};

describe('ai router', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('streams the first candidate, saying which it is before the first token and finishing last', async () => {
    const openai = fake('openai');
    const { breaker, told } = recordingBreaker();
    const events = await collect(router([openai.provider], { breaker }).stream(hello, { signal: never }));
    expect(events).toEqual([
      { type: 'start', provider: 'openai', model: 'o-small', tier: 'small', attempts: 1 },
      { type: 'text-delta', text: 'ok' },
      { type: 'usage', usage },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(openai.calls[0]?.maxOutputTokens).toBe(500);
    expect(told).toEqual(['success openai:o-small']);
  });

  it('falls back before the first token without a trace of the failed attempt', async () => {
    const failing = [{ events: [{ type: 'usage', usage } as const], error: fail('overloaded') }];
    const openai = fake('openai', [...failing, ...failing, ...failing]);
    const anthropic = fake('anthropic');
    const { breaker, told } = recordingBreaker();
    const events = await collect(
      router([openai.provider, anthropic.provider], { breaker }).stream(hello, { signal: never }),
    );
    expect(events[0]).toEqual({ type: 'start', provider: 'anthropic', model: 'a-small', tier: 'small', attempts: 4 });
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(openai.calls).toHaveLength(3);
    expect(told).toEqual([...Array(3).fill('failure openai:o-small'), 'success anthropic:a-small']);
  });

  it('ends with an error event after the first token: no splice from another model, no finish', async () => {
    const openai = fake('openai', [{ events: answer('Hel').slice(0, 1), error: fail('network') }]);
    const anthropic = fake('anthropic');
    const events = await collect(router([openai.provider, anthropic.provider]).stream(hello, { signal: never }));
    expect(events).toEqual([
      { type: 'start', provider: 'openai', model: 'o-small', tier: 'small', attempts: 1 },
      { type: 'text-delta', text: 'Hel' },
      { type: 'error', code: 'network', retryable: true, message: 'upstream network' },
    ]);
    expect(anthropic.calls).toHaveLength(0);
  });

  it('never makes up a finish when a stream just stops', async () => {
    const openai = fake('openai', [{ events: answer('Hel').slice(0, 1) }]);
    const events = await collect(router([openai.provider]).stream(hello, { signal: never }));
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'network', retryable: true });
    expect(events.some((e) => e.type === 'finish')).toBe(false);
  });

  it('lets chat() fall back even after tokens, since its caller has seen none', async () => {
    const openai = fake('openai', Array(3).fill({ events: answer('Hel').slice(0, 1), error: fail('server') }));
    const anthropic = fake('anthropic', [{ events: answer('Hello', ' there') }]);
    const result = await router([openai.provider, anthropic.provider]).chat(hello, { signal: never });
    expect(result).toEqual({
      text: 'Hello there',
      provider: 'anthropic',
      model: 'a-small',
      tier: 'small',
      attempts: 4,
      finishReason: 'stop',
      usage,
    });
  });

  it('waits as long as Retry-After says before retrying', async () => {
    vi.useFakeTimers();
    const openai = fake('openai', [{ error: fail('rate_limit', 2_000) }]);
    const result = router([openai.provider]).chat(hello, { signal: never });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(openai.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(openai.calls).toHaveLength(2);
    expect(await result).toMatchObject({ provider: 'openai', attempts: 2, text: 'ok' });
  });

  it('moves to the next candidate at once when Retry-After is beyond the cap', async () => {
    const openai = fake('openai', [{ error: fail('rate_limit', 60_000) }]);
    const anthropic = fake('anthropic');
    const result = await router([openai.provider, anthropic.provider]).chat(hello, { signal: never });
    expect(result).toMatchObject({ provider: 'anthropic', attempts: 2 });
    expect(openai.calls).toHaveLength(1);
  });

  it.each(['auth', 'bad_request'] as const)('fails at once on %s, without retry or fallback', async (kind) => {
    const openai = fake('openai', [{ error: fail(kind) }]);
    const anthropic = fake('anthropic');
    const { breaker, told } = recordingBreaker();
    const result = router([openai.provider, anthropic.provider], { breaker }).chat(hello, { signal: never });
    await expect(result).rejects.toMatchObject({ kind });
    expect(openai.calls).toHaveLength(1);
    expect(anthropic.calls).toHaveLength(0);
    expect(told).toEqual([]);
  });

  it('moves to the next candidate at once when one model refuses the request, without a retry or a breaker failure', async () => {
    const openai = fake('openai', [{ error: fail('unsupported') }]);
    const anthropic = fake('anthropic');
    const { breaker, told } = recordingBreaker();
    const result = await router([openai.provider, anthropic.provider], { breaker }).chat(hello, { signal: never });
    expect(result).toMatchObject({ provider: 'anthropic', attempts: 2 });
    expect(openai.calls).toHaveLength(1);
    expect(told).toEqual(['success anthropic:a-small']);
    // A model named alone has no next candidate: the refusal is the answer.
    const pinned = router([fake('openai', [{ error: fail('unsupported') }]).provider]);
    await expect(pinned.chat({ ...hello, model: 'o-small' }, { signal: never })).rejects.toMatchObject({
      kind: 'unsupported',
    });
  });

  it('leaves the temperature out for a model that takes only its default', async () => {
    const defaultOnly: AiConfig = {
      ...config,
      models: { ...config.models, openai: { 'o-small': { ...spec(100_000), supportsTemperature: false } } },
    };
    const openai = fake('openai');
    const anthropic = fake('anthropic');
    const r = router([openai.provider, anthropic.provider], { config: defaultOnly });
    await r.chat({ ...hello, temperature: 0.2 }, { signal: never });
    expect(openai.calls[0]).not.toHaveProperty('temperature');
    await r.chat({ ...hello, model: 'a-small', temperature: 0.2 }, { signal: never });
    expect(anthropic.calls.at(-1)?.temperature).toBe(0.2);
  });

  it('sends a prompt too long for a model to a candidate with a larger context', async () => {
    const openai = fake('openai', [{ error: fail('context_length') }]);
    const anthropic = fake('anthropic');
    const gemini = fake('gemini');
    const result = await router([openai.provider, anthropic.provider, gemini.provider]).chat(hello, { signal: never });
    // a-small (50k) is next in the tier but smaller than o-small (100k): skipped for o-big (400k).
    expect(result).toMatchObject({ provider: 'openai', model: 'o-big', attempts: 2 });
    expect(anthropic.calls).toHaveLength(0);
    expect(gemini.calls).toHaveLength(0);
  });

  it('skips models too small for the estimated prompt', async () => {
    const anthropic = fake('anthropic');
    const gemini = fake('gemini');
    const long: RouteRequest = { messages: [{ role: 'user', content: 'x'.repeat(4 * 60_000) }], tier: 'small' };
    const result = await router([anthropic.provider, gemini.provider]).chat(long, { signal: never });
    expect(result).toMatchObject({ provider: 'gemini', model: 'g-huge' });
    expect(anthropic.calls).toHaveLength(0);
  });

  it('uses only the providers the project has, and only the model a request names', async () => {
    const anthropic = fake('anthropic');
    expect(await router([anthropic.provider]).chat(hello, { signal: never })).toMatchObject({ model: 'a-small' });
    const openai = fake('openai', Array(3).fill({ error: fail('server') }));
    const pinned = router([openai.provider, anthropic.provider]).chat({ ...hello, model: 'o-big' }, { signal: never });
    await expect(pinned).rejects.toMatchObject({ kind: 'server' });
    expect(openai.calls.map((c) => c.model)).toEqual(['o-big', 'o-big', 'o-big']);
    await expect(
      router([anthropic.provider]).chat({ ...hello, model: 'o-big' }, { signal: never }),
    ).rejects.toMatchObject({ kind: 'bad_request' });
  });

  it('times out a silent attempt and moves on, aborting the upstream call', async () => {
    const openai = fake('openai', [{ hang: true }]);
    const anthropic = fake('anthropic');
    const result = await router([openai.provider, anthropic.provider], {
      attemptTimeoutMs: 200,
      retry: { attemptsPerCandidate: 1 },
    }).chat(hello, { signal: never });
    expect(result).toMatchObject({ provider: 'anthropic', attempts: 2 });
    expect(openai.calls[0]?.signal.aborted).toBe(true);
  });

  it('moves a silent provider to the next candidate after one timeout, and retries it only when it is the last', async () => {
    const openai = fake('openai', [{ hang: true }]);
    const anthropic = fake('anthropic');
    const r = router([openai.provider, anthropic.provider], { attemptTimeoutMs: 100 });
    expect(await r.chat(hello, { signal: never })).toMatchObject({ provider: 'anthropic', attempts: 2 });
    expect(openai.calls).toHaveLength(1);

    const alone = fake('openai', [{ hang: true }]);
    const result = await router([alone.provider], { attemptTimeoutMs: 100 }).chat(hello, { signal: never });
    expect(result).toMatchObject({ provider: 'openai', attempts: 2 });
  });

  it('gives up at the whole-request deadline, whatever is left to try', async () => {
    const openai = fake('openai', [{ hang: true }]);
    const anthropic = fake('anthropic', [{ hang: true }]);
    const result = router([openai.provider, anthropic.provider], { requestTimeoutMs: 50 }).chat(hello, {
      signal: never,
    });
    await expect(result).rejects.toMatchObject({ kind: 'timeout', message: 'no answer within 50 ms' });
    expect(openai.calls[0]?.signal.aborted).toBe(true);
    expect(anthropic.calls).toHaveLength(0);
  });

  it('lets a healthy answer stream past the request deadline, which only bounds the wait for its start', async () => {
    // 8 pieces 40 ms apart: 320 ms of streaming, never silent for the 200 ms an attempt may be.
    const steady = (): Step => ({ events: answer(...Array<string>(8).fill('w')), gapMs: 40 });
    const options = { requestTimeoutMs: 100, attemptTimeoutMs: 200 };
    const streamed = await collect(
      router([fake('openai', [steady()]).provider], options).stream(hello, { signal: never }),
    );
    expect(streamed.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const whole = await router([fake('openai', [steady()]).provider], options).chat(hello, { signal: never });
    expect(whole.text).toBe('wwwwwwww');
  });

  it('stops when the client goes away, aborting the upstream call', async () => {
    const client = new AbortController();
    const openai = fake('openai', [{ events: answer('Hel').slice(0, 1), hang: true }]);
    const events: RouterEvent[] = [];
    for await (const event of router([openai.provider]).stream(hello, { signal: client.signal })) {
      events.push(event);
      if (event.type === 'text-delta') client.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'aborted', retryable: false });
    expect(openai.calls[0]?.signal.aborted).toBe(true);
  });

  it('reserves the worst case of the dearest candidate, a prompt token per byte', () => {
    const r = router([fake('openai').provider, fake('anthropic').provider]);
    // 'Hello' is 5 bytes, plus 16 tokens of message overhead, at 1 µ$; 500 output tokens at 2 µ$.
    expect(r.worstCaseMicros(hello)).toBe(21 + 1_000);
    // Each of these ideographs is 3 bytes: 3 000 tokens at most, where characters / 4 says 250.
    const cjk: RouteRequest = { messages: [{ role: 'user', content: '\u3400'.repeat(1_000) }] };
    expect(r.worstCaseMicros(cjk)).toBe(3_016 + 1_000);
  });

  it('reserves for the larger-context model a prompt that may not fit falls back to, capped by its window', () => {
    const dear: AiConfig = {
      ...config,
      models: {
        ...config.models,
        gemini: { 'g-huge': spec(1_000_000, 10) },
      },
    };
    const r = router([fake('openai').provider, fake('anthropic').provider, fake('gemini').provider], { config: dear });
    // 60 016 tokens at most: too many for a-small (50k), so g-huge (1M, 10 µ$ a token) is within reach.
    const long: RouteRequest = { messages: [{ role: 'user', content: 'x'.repeat(60_000) }], tier: 'small' };
    expect(r.worstCaseMicros(long)).toBe(60_016 * 10 + 1_000);
    // A model named alone has no fallback; its prompt can never bill more than its context window.
    const pinned: RouteRequest = { messages: [{ role: 'user', content: 'x'.repeat(150_000) }], model: 'o-small' };
    expect(r.worstCaseMicros(pinned)).toBe(100_000 + 1_000);
  });
});

describe.skipIf(cacheUnavailable)('ai router with the circuit breaker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('skips a model whose circuit is open, shows it in the status, and tries it again after the cooldown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const service = await createAiTestCache();
    try {
      const breaker = createBreaker({
        cache: await service.connect(),
        logger,
        failureThreshold: 2,
        cooldownMs: 30_000,
      });
      const openai = fake('openai', [{ error: fail('overloaded') }, { error: fail('overloaded') }]);
      const anthropic = fake('anthropic');
      const r = router([openai.provider, anthropic.provider], {
        breaker,
        retry: { attemptsPerCandidate: 2, baseDelayMs: 1 },
      });

      expect(await r.chat(hello, { signal: never })).toMatchObject({ provider: 'anthropic', attempts: 3 });
      expect(await r.chat(hello, { signal: never })).toMatchObject({ provider: 'anthropic', attempts: 1 });
      expect(openai.calls).toHaveLength(2);
      const status = await r.status();
      expect(status.providers).toEqual(['openai', 'anthropic']);
      expect(status.tiers.small[0]).toMatchObject({ model: 'o-small', breaker: { state: 'open', failures: 2 } });

      vi.advanceTimersByTime(30_000);
      expect(await r.chat(hello, { signal: never })).toMatchObject({ provider: 'openai', attempts: 1 });
      expect((await r.status()).tiers.small[0]?.breaker).toEqual({ state: 'closed', failures: 0 });
    } finally {
      await service.drop();
    }
  });
});
