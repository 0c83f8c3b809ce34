import type { GenerateContentParameters, GenerateContentResponseUsageMetadata, GoogleGenAI } from '@google/genai';
import { AiError, type AiErrorKind, kindOfStatus } from '../errors.js';
import { type AiProvider, type ChatRequest, type FinishReason, systemPromptOf, type Usage } from '../types.js';

type GenAi = typeof import('@google/genai');

export interface GeminiProviderOptions {
  /** Unset outside production: every call then fails with an `auth` error saying so. */
  apiKey: string | undefined;
  /** https://generativelanguage.googleapis.com unless a gateway or a test server stands in. */
  baseUrl: string;
}

const FINISH_REASONS: Partial<Record<string, FinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
};

/** Gemini's prompt count includes the cached tokens; its candidates count leaves out thoughts, billed as output. */
export const usageOf = (usage: GenerateContentResponseUsageMetadata): Usage => {
  const cached = usage.cachedContentTokenCount ?? 0;
  const thoughts = usage.thoughtsTokenCount ?? 0;
  return {
    inputTokens: (usage.promptTokenCount ?? 0) - cached,
    cachedInputTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: (usage.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
  };
};

const paramsOf = (request: ChatRequest, signal: AbortSignal): GenerateContentParameters => {
  // The MIME type makes the answer JSON; the system prompt still says so, as for every provider.
  const system = systemPromptOf(request);
  return {
    model: request.model,
    contents: request.messages.map((m) => ({
      role: m.role === 'assistant' ? 'model' : 'user',
      parts: [{ text: m.content }],
    })),
    config: {
      ...(system && { systemInstruction: system }),
      maxOutputTokens: request.maxOutputTokens,
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(request.json && { responseMimeType: 'application/json' }),
      abortSignal: signal,
    },
  };
};

interface GoogleErrorBody {
  error?: { message?: string; details?: { '@type'?: string; reason?: string; retryDelay?: string }[] };
}

/** The SDK puts the error body, as JSON, in the message (after `got status: ...` for a mid-stream error). */
const bodyOf = (message: string): GoogleErrorBody => {
  try {
    return JSON.parse(message.slice(message.indexOf('{'))) as GoogleErrorBody;
  } catch {
    return {};
  }
};

const detail = (body: GoogleErrorBody, type: 'RetryInfo' | 'ErrorInfo') =>
  body.error?.details?.find((d) => d['@type'] === `type.googleapis.com/google.rpc.${type}`);

/** Google sends its retry hint in the body (RetryInfo, e.g. `"retryDelay": "7s"`), not as a header. */
const retryDelayMs = (body: GoogleErrorBody): number | undefined => {
  const seconds = Number.parseFloat(detail(body, 'RetryInfo')?.retryDelay ?? '');
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
};

/** Our signal ended the call: the router's deadline (a timeout) or the client going away. */
const abortError = (signal: AbortSignal, cause?: unknown) => {
  const timedOut = signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
  return timedOut
    ? new AiError('timeout', 'gemini: the attempt timed out', 'gemini', undefined, undefined, { cause })
    : new AiError('aborted', 'gemini: the request was aborted', 'gemini', undefined, undefined, { cause });
};

/** The SDK's error as the router needs it; `signal` tells our own abort from a failure. */
const toAiError = (error: unknown, signal: AbortSignal, sdk: GenAi): AiError => {
  if (error instanceof AiError) return error;
  if (signal.aborted) return abortError(signal, error);
  const message = `gemini: ${error instanceof Error ? error.message : String(error)}`;
  const fail = (kind: AiErrorKind, status?: number, retryAfter?: number) =>
    new AiError(kind, message, 'gemini', status, retryAfter, { cause: error });
  if (error instanceof sdk.ApiError) {
    const body = bodyOf(error.message);
    // A wrong API key is a 400 here, told apart by its ErrorInfo reason.
    if (detail(body, 'ErrorInfo')?.reason === 'API_KEY_INVALID') return fail('auth', error.status);
    return fail(kindOfStatus(error.status, body.error?.message ?? error.message), error.status, retryDelayMs(body));
  }
  // fetch failed, or the body broke off mid-stream (undici's `terminated`) or could not be read.
  return fail('network');
};

/**
 * Google's Gemini models through the official SDK, which is imported on the first call.
 * No SDK timeout: @google/genai's would keep running while the answer streams and cut a long one
 * short; the router's signal bounds each attempt instead.
 */
export const createGeminiProvider = ({ apiKey, baseUrl }: GeminiProviderOptions): AiProvider => {
  let loaded: Promise<{ sdk: GenAi; client: GoogleGenAI }> | undefined;
  const load = () => {
    // No `retryOptions`: the SDK then makes exactly one request per call, and the router owns retries.
    loaded ??= import('@google/genai').then((sdk) => ({
      sdk,
      client: new sdk.GoogleGenAI({ apiKey, vertexai: false, httpOptions: { baseUrl } }),
    }));
    return loaded;
  };

  return {
    name: 'gemini',
    async *stream(request, { signal }) {
      if (!apiKey) throw new AiError('auth', 'gemini: GEMINI_API_KEY is not set', 'gemini');
      const { sdk, client } = await load();
      let finish: FinishReason | undefined;
      let usage: GenerateContentResponseUsageMetadata | undefined;
      try {
        const chunks = await client.models.generateContentStream(paramsOf(request, signal));
        for await (const chunk of chunks) {
          const candidate = chunk.candidates?.[0];
          for (const part of candidate?.content?.parts ?? []) {
            // Thought summaries (only sent when asked for) are not part of the answer.
            if (part.text && !part.thought) yield { type: 'text-delta', text: part.text };
          }
          if (candidate?.finishReason) finish = FINISH_REASONS[candidate.finishReason] ?? 'other';
          // A blocked prompt gets no candidate at all, only the reason.
          if (chunk.promptFeedback?.blockReason) finish = 'content_filter';
          // Partial counts come with every chunk; the last one has them all.
          if (chunk.usageMetadata) usage = chunk.usageMetadata;
        }
      } catch (error) {
        throw toAiError(error, signal, sdk);
      }
      if (signal.aborted) throw abortError(signal);
      if (!finish) throw new AiError('network', 'gemini: the stream ended before the answer did', 'gemini');
      if (usage) yield { type: 'usage', usage: usageOf(usage) };
      yield { type: 'finish', reason: finish };
    },
  };
};
