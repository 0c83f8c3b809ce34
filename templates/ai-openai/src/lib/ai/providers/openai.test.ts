import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../../../../test/fake-openai.js';
import { AiError } from '../errors.js';
import type { ChatRequest, StreamEvent } from '../types.js';
import { createOpenAiProvider, usageOf } from './openai.js';

let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
const providerWith = (apiKey: string | undefined = fake.apiKey, timeoutMs = 5_000) =>
  createOpenAiProvider({ apiKey, baseURL: fake.baseURL, timeoutMs });

const request: ChatRequest = {
  model: 'gpt-5-mini',
  system: 'Answer in one sentence.',
  messages: [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'user', content: 'Who are you?' },
  ],
  maxOutputTokens: 200,
};

const collect = async (events: AsyncIterable<StreamEvent>) => {
  const seen: StreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
};

/** The AiError a call ends with, and the events that came before it. */
const failure = async (events: AsyncIterable<StreamEvent>) => {
  const before: StreamEvent[] = [];
  try {
    for await (const event of events) before.push(event);
  } catch (error) {
    expect(error).toBeInstanceOf(AiError);
    return { error: error as AiError, before };
  }
  throw new Error('the call succeeded');
};

const anySignal = () => new AbortController().signal;

beforeAll(async () => {
  fake = await startFakeOpenAi();
});

beforeEach(() => fake.reset());

afterAll(async () => {
  await fake?.close();
});

describe('openai provider', () => {
  it('streams text, then one usage and the finish reason, from one request', async () => {
    const events = await collect(providerWith().stream(request, { signal: anySignal() }));
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ' from' },
      { type: 'text-delta', text: ' the fake.' },
      {
        type: 'usage',
        usage: { inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 3, reasoningTokens: 0 },
      },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body).toMatchObject({
      model: 'gpt-5-mini',
      messages: [
        { role: 'system', content: 'Answer in one sentence.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Who are you?' },
      ],
      max_completion_tokens: 200,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(fake.requests[0]?.body).not.toHaveProperty('response_format');
  });

  it('asks for a JSON object in JSON mode, and says so in the messages as OpenAI requires', async () => {
    await collect(providerWith().stream({ ...request, system: undefined, json: true }, { signal: anySignal() }));
    expect(fake.requests[0]?.body).toMatchObject({ response_format: { type: 'json_object' } });
    const messages = fake.requests[0]?.body.messages as { role: string; content: string }[];
    expect(messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('JSON') });
  });

  it('answers the SDK without streaming too', async () => {
    const client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 });
    const answer = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer.choices[0]?.message.content).toBe('Hello from the fake.');
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    expect(answer.usage && usageOf(answer.usage)).toMatchObject({ inputTokens: 12, outputTokens: 3 });
  });

  it('fails with an auth error, without calling OpenAI, when no API key is set', async () => {
    const { error } = await failure(providerWith('').stream(request, { signal: anySignal() }));
    expect(error.kind).toBe('auth');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('openai usage', () => {
  // Recorded from a reasoning model with a cached prompt prefix (ids shortened). Usage comes alone,
  // after the finish reason, in a chunk whose `choices` is empty.
  const recorded = [
    {
      id: 'chatcmpl-C1',
      object: 'chat.completion.chunk',
      created: 1_767_225_600,
      model: 'gpt-5-mini-2025-08-07',
      service_tier: 'default',
      system_fingerprint: null,
      choices: [
        { index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null },
      ],
      usage: null,
    },
    {
      id: 'chatcmpl-C1',
      object: 'chat.completion.chunk',
      created: 1_767_225_600,
      model: 'gpt-5-mini-2025-08-07',
      service_tier: 'default',
      system_fingerprint: null,
      choices: [{ index: 0, delta: { content: '42' }, logprobs: null, finish_reason: null }],
      usage: null,
    },
    {
      id: 'chatcmpl-C1',
      object: 'chat.completion.chunk',
      created: 1_767_225_600,
      model: 'gpt-5-mini-2025-08-07',
      service_tier: 'default',
      system_fingerprint: null,
      choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'length' }],
      usage: null,
    },
    {
      id: 'chatcmpl-C1',
      object: 'chat.completion.chunk',
      created: 1_767_225_600,
      model: 'gpt-5-mini-2025-08-07',
      service_tier: 'default',
      system_fingerprint: null,
      choices: [],
      usage: {
        prompt_tokens: 2_006,
        completion_tokens: 300,
        total_tokens: 2_306,
        prompt_tokens_details: { cached_tokens: 1_920, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 256,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
    },
  ];

  it('counts cached prompt tokens apart and reasoning as output, from the usage-only last chunk', async () => {
    fake.script({ chunks: recorded });
    const events = await collect(providerWith().stream(request, { signal: anySignal() }));
    expect(events).toEqual([
      { type: 'text-delta', text: '42' },
      {
        type: 'usage',
        usage: {
          inputTokens: 86,
          cachedInputTokens: 1_920,
          cacheWriteTokens: 0,
          outputTokens: 300,
          reasoningTokens: 256,
        },
      },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('reads usage without the optional details as all uncached, no reasoning', () => {
    expect(usageOf({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 })).toEqual({
      inputTokens: 10,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 5,
      reasoningTokens: 0,
    });
  });
});

describe('openai errors', () => {
  it.each([
    { step: { status: 429, retryAfter: '7' }, kind: 'rate_limit', retryAfterMs: 7_000 },
    { step: { status: 503 }, kind: 'overloaded', retryAfterMs: undefined },
    { step: { status: 500 }, kind: 'server', retryAfterMs: undefined },
    {
      step: {
        status: 400,
        code: 'context_length_exceeded',
        message:
          "This model's maximum context length is 400000 tokens. However, your messages resulted in 512000 tokens.",
      },
      kind: 'context_length',
      retryAfterMs: undefined,
    },
    {
      step: {
        status: 400,
        code: 'unsupported_value',
        message:
          "Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is supported.",
      },
      kind: 'unsupported',
      retryAfterMs: undefined,
    },
    {
      step: {
        status: 400,
        code: 'unsupported_value',
        message: 'Your organization must be verified to stream this model.',
      },
      kind: 'unsupported',
      retryAfterMs: undefined,
    },
    {
      step: {
        status: 404,
        code: 'model_not_found',
        message: 'The model `gpt-5` does not exist or you do not have access to it.',
      },
      kind: 'unsupported',
      retryAfterMs: undefined,
    },
    {
      step: { status: 400, message: "Invalid type for 'messages[0].content': expected a string." },
      kind: 'bad_request',
      retryAfterMs: undefined,
    },
  ])('classifies HTTP $step.status as $kind after exactly one request', async ({ step, kind, retryAfterMs }) => {
    fake.script(step);
    const { error } = await failure(providerWith().stream(request, { signal: anySignal() }));
    expect(error).toMatchObject({ kind, provider: 'openai', status: step.status, retryAfterMs });
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies a wrong API key as auth', async () => {
    const { error } = await failure(providerWith('sk-wrong').stream(request, { signal: anySignal() }));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies a stream cut after the first token as a network error', async () => {
    fake.script({ cutAfter: 2 });
    const { error, before } = await failure(providerWith().stream(request, { signal: anySignal() }));
    expect(error.kind).toBe('network');
    expect(before).toEqual([{ type: 'text-delta', text: 'Hello' }]);
  });

  it('classifies the SDK giving up on a silent server as a timeout', async () => {
    fake.script({ hang: true });
    const { error } = await failure(providerWith(fake.apiKey, 200).stream(request, { signal: anySignal() }));
    expect(error.kind).toBe('timeout');
    expect(fake.requests).toHaveLength(1);
  });

  it("classifies the router's deadline as a timeout", async () => {
    fake.script({ hang: true });
    const { error } = await failure(providerWith().stream(request, { signal: AbortSignal.timeout(200) }));
    expect(error.kind).toBe('timeout');
  });

  it('stops the upstream call within 500 ms when the caller aborts mid-stream', async () => {
    fake.script({ hangAfter: 2 });
    const controller = new AbortController();
    let abortedAt = 0;
    const { error } = await failure(
      (async function* () {
        for await (const event of providerWith().stream(request, { signal: controller.signal })) {
          yield event;
          abortedAt = Date.now();
          controller.abort();
        }
      })(),
    );
    expect(error.kind).toBe('aborted');
    await expect.poll(() => fake.requests[0]?.disconnectedAt, { timeout: 500 }).toBeDefined();
    expect((fake.requests[0]?.disconnectedAt ?? Infinity) - abortedAt).toBeLessThan(500);
  });
});
