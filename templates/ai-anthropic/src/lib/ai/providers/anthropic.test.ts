import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../../../../test/fake-anthropic.js';
import { AiError } from '../errors.js';
import type { ChatRequest, StreamEvent } from '../types.js';
import { createAnthropicProvider, usageOf } from './anthropic.js';

let fake: Awaited<ReturnType<typeof startFakeAnthropic>>;
const providerWith = (apiKey: string | undefined = fake.apiKey, timeoutMs = 5_000) =>
  createAnthropicProvider({ apiKey, baseURL: fake.baseURL, timeoutMs });

const request: ChatRequest = {
  model: 'claude-sonnet-4-5',
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
  fake = await startFakeAnthropic();
});

beforeEach(() => fake.reset());

afterAll(async () => {
  await fake?.close();
});

describe('anthropic provider', () => {
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
    expect(fake.requests[0]?.body).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'Answer in one sentence.',
      messages: request.messages,
      max_tokens: 200,
      stream: true,
    });
  });

  it('asks for JSON in the system prompt in JSON mode', async () => {
    await collect(providerWith().stream({ ...request, system: undefined, json: true }, { signal: anySignal() }));
    expect(fake.requests[0]?.body.system).toMatch(/^Answer with a single JSON object/);
  });

  it('answers the SDK without streaming too', async () => {
    const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the fake.' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(usageOf(message.usage)).toMatchObject({ inputTokens: 12, outputTokens: 3 });
  });

  it('fails with an auth error, without calling Anthropic, when no API key is set', async () => {
    const { error } = await failure(providerWith('').stream(request, { signal: anySignal() }));
    expect(error.kind).toBe('auth');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('anthropic usage', () => {
  // Recorded with extended thinking and a cached system prompt (ids, signature and thinking shortened).
  // message_delta repeats the input counts and gives the output total so far: 187 in all, not 4 + 187.
  const recorded = [
    {
      type: 'message_start',
      message: {
        id: 'msg_01',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 24,
          cache_creation_input_tokens: 1_200,
          cache_read_input_tokens: 3_400,
          cache_creation: { ephemeral_5m_input_tokens: 1_200, ephemeral_1h_input_tokens: 0 },
          output_tokens: 4,
          service_tier: 'standard',
        },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
    { type: 'ping' },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'The capital of France…' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAh…' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Paris.' } },
    { type: 'content_block_stop', index: 1 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: {
        input_tokens: 24,
        cache_creation_input_tokens: 1_200,
        cache_read_input_tokens: 3_400,
        output_tokens: 187,
        output_tokens_details: { thinking_tokens: 160 },
      },
    },
    { type: 'message_stop' },
  ];

  it('keeps cache reads and writes apart and takes the last output total, thinking included', async () => {
    fake.script({ chunks: recorded });
    const events = await collect(providerWith().stream(request, { signal: anySignal() }));
    expect(events).toEqual([
      { type: 'text-delta', text: 'Paris.' },
      {
        type: 'usage',
        usage: {
          inputTokens: 24,
          cachedInputTokens: 3_400,
          cacheWriteTokens: 1_200,
          outputTokens: 187,
          reasoningTokens: 160,
        },
      },
      { type: 'finish', reason: 'length' },
    ]);
  });
});

describe('anthropic errors', () => {
  it.each([
    { step: { status: 429, retryAfter: '7' }, kind: 'rate_limit', retryAfterMs: 7_000 },
    { step: { status: 529, message: 'Overloaded' }, kind: 'overloaded', retryAfterMs: undefined },
    { step: { status: 500, message: 'Internal server error' }, kind: 'server', retryAfterMs: undefined },
    {
      step: { status: 400, message: 'prompt is too long: 215000 tokens > 200000 maximum' },
      kind: 'context_length',
      retryAfterMs: undefined,
    },
    {
      step: { status: 400, message: 'max_tokens: 100000 > 64000, which is the maximum allowed' },
      kind: 'bad_request',
      retryAfterMs: undefined,
    },
    { step: { status: 404, message: 'model: claude-retired' }, kind: 'unsupported', retryAfterMs: undefined },
    {
      step: { status: 400, message: '`temperature` and `top_p` cannot both be specified for this model.' },
      kind: 'unsupported',
      retryAfterMs: undefined,
    },
  ])('classifies HTTP $step.status as $kind after exactly one request', async ({ step, kind, retryAfterMs }) => {
    fake.script(step);
    const { error } = await failure(providerWith().stream(request, { signal: anySignal() }));
    expect(error).toMatchObject({ kind, provider: 'anthropic', status: step.status, retryAfterMs });
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies a wrong API key as auth', async () => {
    const { error } = await failure(providerWith('sk-ant-wrong').stream(request, { signal: anySignal() }));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies an overloaded_error event after the first token as overloaded', async () => {
    fake.script({
      chunks: [
        {
          type: 'message_start',
          message: { id: 'msg_02', type: 'message', role: 'assistant', content: [], usage: {} },
        },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Once' } },
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      ],
    });
    const { error, before } = await failure(providerWith().stream(request, { signal: anySignal() }));
    expect(error.kind).toBe('overloaded');
    expect(before).toEqual([{ type: 'text-delta', text: 'Once' }]);
  });

  it('classifies a stream cut after the first token as a network error', async () => {
    fake.script({ cutAfter: 4 });
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
    fake.script({ hangAfter: 4 });
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
