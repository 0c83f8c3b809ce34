import { startFakeUpstream, type WireFormat } from './fake-upstream.js';

const ID = 'msg_fake';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

/** Token counts of a normal answer: the prompt's, and one token per text piece. */
const usageOf = (inputTokens: number, outputTokens: number) => ({
  input_tokens: inputTokens,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: outputTokens,
});

/** Anthropic's Messages API: `POST /v1/messages`, JSON or named events (`event:` then `data:`). */
const anthropicWire = (apiKey: string): WireFormat => ({
  route: (method, url, body) =>
    method === 'POST' && url.pathname === '/v1/messages' ? { stream: body.stream === true } : undefined,
  // SDK 1.x sends the key as a bearer token; older clients and curl examples use x-api-key.
  authorized: (headers) => headers.authorization === `Bearer ${apiKey}` || headers['x-api-key'] === apiKey,
  errorBody: ({ status, message }) => ({
    type: 'error',
    error: { type: ERROR_TYPES[status] ?? 'api_error', message },
    request_id: 'req_fake',
  }),
  answer: (text, body, inputTokens) => ({
    id: ID,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content: [{ type: 'text', text: text.join('') }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: usageOf(inputTokens, text.length),
  }),
  chunks: (text, body, inputTokens) => [
    {
      type: 'message_start',
      message: {
        id: ID,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usageOf(inputTokens, 1),
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'ping' },
    ...text.map((piece) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } })),
    { type: 'content_block_stop', index: 0 },
    // Output tokens here are the running total for the whole message, not an increment.
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: text.length },
    },
    { type: 'message_stop' },
  ],
  frame: (chunk) => `event: ${(chunk as { type: string }).type}\ndata: ${JSON.stringify(chunk)}\n\n`,
});

/** A local stand-in for Anthropic; point the SDK's `baseURL` (ANTHROPIC_BASE_URL, no /v1) at `baseURL`. */
export const startFakeAnthropic = async (apiKey = 'sk-ant-test-fake') => {
  const fake = await startFakeUpstream(anthropicWire(apiKey));
  return { ...fake, apiKey, baseURL: fake.origin };
};

/** A fresh fake and the settings that point an app at it (test/upstreams.ts starts one per test app). */
export const startAnthropicTestService = async () => {
  const fake = await startFakeAnthropic();
  return { fake, env: { ANTHROPIC_BASE_URL: fake.baseURL, ANTHROPIC_API_KEY: fake.apiKey }, drop: fake.close };
};
