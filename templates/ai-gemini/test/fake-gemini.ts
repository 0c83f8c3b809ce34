import { startFakeUpstream, type WireFormat } from './fake-upstream.js';

/** Google's status names, as error bodies carry them next to the HTTP code. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** @google/genai 3 calls v1, Google's REST examples use v1beta; both are served. */
const ENDPOINT = /^\/v1(?:beta)?\/models\/[^/:]+:(generateContent|streamGenerateContent)$/;

const candidate = (text: string, finishReason?: string) => ({
  content: { parts: [{ text }], role: 'model' },
  ...(finishReason && { finishReason }),
  index: 0,
});

/** Token counts of a normal answer: the prompt's, and one token per text piece. */
const usageOf = (inputTokens: number, outputTokens: number) => ({
  promptTokenCount: inputTokens,
  candidatesTokenCount: outputTokens,
  totalTokenCount: inputTokens + outputTokens,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: inputTokens }],
});

/**
 * The Gemini API: `POST /v1/models/{model}:generateContent` (JSON) and `:streamGenerateContent?alt=sse`
 * (`data:` events, each a partial response; full usage and the finish reason come with the last).
 */
const geminiWire = (apiKey: string): WireFormat => ({
  route: (method, url) => {
    const endpoint = method === 'POST' ? ENDPOINT.exec(url.pathname)?.[1] : undefined;
    return endpoint ? { stream: endpoint === 'streamGenerateContent' } : undefined;
  },
  authorized: (headers, url) => headers['x-goog-api-key'] === apiKey || url.searchParams.get('key') === apiKey,
  // Google refuses a wrong API key with a 400, naming the reason in an ErrorInfo.
  unauthorized: { status: 400, message: 'API key not valid. Please pass a valid API key.', code: 'API_KEY_INVALID' },
  errorBody: ({ status, message, code, retryAfter }) => ({
    error: {
      code: status,
      message,
      status: STATUS_NAMES[status] ?? 'UNKNOWN',
      details: [
        ...(code
          ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: code, domain: 'googleapis.com' }]
          : []),
        ...(retryAfter ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` }] : []),
      ],
    },
  }),
  answer: (text, _body, inputTokens) => ({
    candidates: [candidate(text.join(''), 'STOP')],
    usageMetadata: usageOf(inputTokens, text.length),
    responseId: 'fake-response',
  }),
  chunks: (text, _body, inputTokens) =>
    text.map((piece, i) => {
      const last = i === text.length - 1;
      return {
        candidates: [candidate(piece, last ? 'STOP' : undefined)],
        usageMetadata: last
          ? usageOf(inputTokens, text.length)
          : { promptTokenCount: inputTokens, totalTokenCount: inputTokens },
        responseId: 'fake-response',
      };
    }),
  frame: (chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`,
});

/** A local stand-in for the Gemini API; point the SDK's `httpOptions.baseUrl` (GEMINI_BASE_URL) at `baseUrl`. */
export const startFakeGemini = async (apiKey = 'test-gemini-key') => {
  const fake = await startFakeUpstream(geminiWire(apiKey));
  return { ...fake, apiKey, baseUrl: fake.origin };
};

/** A fresh fake and the settings that point an app at it (test/upstreams.ts starts one per test app). */
export const startGeminiTestService = async () => {
  const fake = await startFakeGemini();
  return { fake, env: { GEMINI_BASE_URL: fake.baseUrl, GEMINI_API_KEY: fake.apiKey }, drop: fake.close };
};
