import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini } from '../../../../test/fake-gemini.js';
import { AiError } from '../errors.js';
import type { ChatRequest, StreamEvent } from '../types.js';
import { createGeminiProvider, usageOf } from './gemini.js';

let fake: Awaited<ReturnType<typeof startFakeGemini>>;
const providerWith = (apiKey: string | undefined = fake.apiKey) =>
  createGeminiProvider({ apiKey, baseUrl: fake.baseUrl });

const request: ChatRequest = {
  model: 'gemini-2.5-flash',
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
  fake = await startFakeGemini();
});

beforeEach(() => fake.reset());

afterAll(async () => {
  await fake?.close();
});

describe('gemini provider', () => {
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
    expect(fake.requests[0]?.url).toBe('/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(fake.requests[0]?.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Who are you?' }] },
      ],
      systemInstruction: { role: 'user', parts: [{ text: 'Answer in one sentence.' }] },
      generationConfig: { maxOutputTokens: 200 },
    });
  });

  it('asks for JSON by MIME type in JSON mode, and in the system instruction', async () => {
    await collect(providerWith().stream({ ...request, json: true }, { signal: anySignal() }));
    expect(fake.requests[0]?.body).toMatchObject({ generationConfig: { responseMimeType: 'application/json' } });
    expect(JSON.stringify(fake.requests[0]?.body.systemInstruction)).toContain('JSON');
  });

  it('answers the SDK without streaming too', async () => {
    const client = new GoogleGenAI({ apiKey: fake.apiKey, vertexai: false, httpOptions: { baseUrl: fake.baseUrl } });
    const answer = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' });
    expect(answer.text).toBe('Hello from the fake.');
    expect(answer.candidates?.[0]?.finishReason).toBe('STOP');
    expect(answer.usageMetadata && usageOf(answer.usageMetadata)).toMatchObject({ inputTokens: 12, outputTokens: 3 });
  });

  it('fails with an auth error, without calling Gemini, when no API key is set', async () => {
    const { error } = await failure(providerWith('').stream(request, { signal: anySignal() }));
    expect(error.kind).toBe('auth');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('gemini usage', () => {
  // Recorded from a thinking model with a cached context and thought summaries on (ids shortened).
  // Each chunk carries usage so far; only the last has every count. Thoughts are not in candidatesTokenCount.
  const recorded = [
    {
      candidates: [
        { content: { parts: [{ text: '**Weighing the question**', thought: true }], role: 'model' }, index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: 5_150,
        totalTokenCount: 5_430,
        cachedContentTokenCount: 4_096,
        thoughtsTokenCount: 280,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 5_150 }],
        cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 4_096 }],
      },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'mT0Ab',
    },
    {
      candidates: [{ content: { parts: [{ text: 'The answer' }], role: 'model' }, index: 0 }],
      usageMetadata: {
        promptTokenCount: 5_150,
        candidatesTokenCount: 2,
        totalTokenCount: 5_564,
        cachedContentTokenCount: 4_096,
        thoughtsTokenCount: 412,
      },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'mT0Ab',
    },
    {
      candidates: [{ content: { parts: [{ text: ' is 42.' }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 }],
      usageMetadata: {
        promptTokenCount: 5_150,
        candidatesTokenCount: 9,
        totalTokenCount: 5_571,
        cachedContentTokenCount: 4_096,
        thoughtsTokenCount: 412,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 5_150 }],
        cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 4_096 }],
      },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'mT0Ab',
    },
  ];

  it('counts cached prompt tokens apart and thoughts as output, from the last chunk', async () => {
    fake.script({ chunks: recorded });
    const events = await collect(providerWith().stream(request, { signal: anySignal() }));
    expect(events).toEqual([
      { type: 'text-delta', text: 'The answer' },
      { type: 'text-delta', text: ' is 42.' },
      {
        type: 'usage',
        usage: {
          inputTokens: 1_054,
          cachedInputTokens: 4_096,
          cacheWriteTokens: 0,
          outputTokens: 421,
          reasoningTokens: 412,
        },
      },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('ends a blocked prompt as content_filter', async () => {
    fake.script({
      chunks: [
        {
          promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
          usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
        },
      ],
    });
    const events = await collect(providerWith().stream(request, { signal: anySignal() }));
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'content_filter' });
  });
});

describe('gemini errors', () => {
  it.each([
    { step: { status: 429, retryAfter: '7' }, kind: 'rate_limit', retryAfterMs: 7_000 },
    { step: { status: 503, message: 'The model is overloaded. Please try again later.' }, kind: 'overloaded' },
    { step: { status: 500, message: 'An internal error has occurred.' }, kind: 'server' },
    {
      step: {
        status: 400,
        message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
      },
      kind: 'context_length',
    },
    {
      step: { status: 400, message: 'Invalid value at \'generation_config.temperature\' (TYPE_FLOAT), "hot"' },
      kind: 'bad_request',
    },
    {
      step: {
        status: 404,
        message: 'models/gemini-retired is not found for API version v1beta, or is not supported for generateContent.',
      },
      kind: 'unsupported',
    },
  ])('classifies HTTP $step.status as $kind after exactly one request', async ({ step, kind, retryAfterMs }) => {
    fake.script(step);
    const { error } = await failure(providerWith().stream(request, { signal: anySignal() }));
    expect(error).toMatchObject({ kind, provider: 'gemini', status: step.status, retryAfterMs });
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies a wrong API key (a 400 from Google) as auth', async () => {
    const { error } = await failure(providerWith('wrong-key').stream(request, { signal: anySignal() }));
    expect(error).toMatchObject({ kind: 'auth', status: 400 });
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies a stream cut after the first token as a network error', async () => {
    fake.script({ cutAfter: 1 });
    const { error, before } = await failure(providerWith().stream(request, { signal: anySignal() }));
    expect(error.kind).toBe('network');
    expect(before).toEqual([{ type: 'text-delta', text: 'Hello' }]);
  });

  it("classifies the router's deadline as a timeout", async () => {
    fake.script({ hang: true });
    const { error } = await failure(providerWith().stream(request, { signal: AbortSignal.timeout(200) }));
    expect(error.kind).toBe('timeout');
    await expect.poll(() => fake.requests[0]?.disconnectedAt, { timeout: 500 }).toBeDefined();
  });

  it('stops the upstream call within 500 ms when the caller aborts mid-stream', async () => {
    fake.script({ hangAfter: 1 });
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
