import { startFakeUpstream, type WireFormat } from './fake-upstream.js';

const ID = 'chatcmpl-fake';
const CREATED = 1_767_225_600;

/** Token counts of a normal answer: the prompt's, and one token per text piece. */
const usageOf = (text: string[], inputTokens: number) => ({
  prompt_tokens: inputTokens,
  completion_tokens: text.length,
  total_tokens: inputTokens + text.length,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
});

const errorType = (status: number) => {
  if (status >= 500) return 'server_error';
  if (status === 429) return 'requests';
  return 'invalid_request_error';
};

const chunk = (model: unknown, choices: unknown[], usage: unknown = null) => ({
  id: ID,
  object: 'chat.completion.chunk',
  created: CREATED,
  model,
  choices,
  usage,
});

/** OpenAI's Chat Completions API: `POST /v1/chat/completions`, JSON or `data:` events ending in `[DONE]`. */
const openAiWire = (apiKey: string): WireFormat => ({
  route: (method, url, body) =>
    method === 'POST' && url.pathname === '/v1/chat/completions' ? { stream: body.stream === true } : undefined,
  authorized: (headers) => headers.authorization === `Bearer ${apiKey}`,
  errorBody: ({ status, message, code }) => ({
    error: { message, type: errorType(status), param: null, code: code ?? null },
  }),
  answer: (text, body, inputTokens) => ({
    id: ID,
    object: 'chat.completion',
    created: CREATED,
    model: body.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text.join(''), refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: usageOf(text, inputTokens),
  }),
  chunks: (text, body, inputTokens) => {
    const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    return [
      chunk(body.model, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      ...text.map((piece) => chunk(body.model, [{ index: 0, delta: { content: piece }, finish_reason: null }])),
      chunk(body.model, [{ index: 0, delta: {}, finish_reason: 'stop' }]),
      // With include_usage, usage arrives alone in a last chunk whose choices are empty.
      ...(wantsUsage ? [chunk(body.model, [], usageOf(text, inputTokens))] : []),
    ];
  },
  frame: (value) => `data: ${JSON.stringify(value)}\n\n`,
  end: 'data: [DONE]\n\n',
});

/** A local stand-in for OpenAI; point the SDK's `baseURL` (OPENAI_BASE_URL) at `baseURL`. */
export const startFakeOpenAi = async (apiKey = 'sk-test-fake') => {
  const fake = await startFakeUpstream(openAiWire(apiKey));
  return { ...fake, apiKey, baseURL: `${fake.origin}/v1` };
};

/** A fresh fake and the settings that point an app at it (test/upstreams.ts starts one per test app). */
export const startOpenAiTestService = async () => {
  const fake = await startFakeOpenAi();
  return { fake, env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: fake.apiKey }, drop: fake.close };
};
