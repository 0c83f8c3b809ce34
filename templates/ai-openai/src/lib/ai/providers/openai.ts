import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming, CompletionUsage } from 'openai/resources';
import { AiError, type AiErrorKind, kindOfStatus, retryAfterMs } from '../errors.js';
import { type AiProvider, type ChatRequest, type FinishReason, systemPromptOf, type Usage } from '../types.js';

export interface OpenAiProviderOptions {
  /** Unset outside production: every call then fails with an `auth` error saying so. */
  apiKey: string | undefined;
  /** https://api.openai.com/v1 unless a gateway or a test server stands in. */
  baseURL: string;
  /** How long the SDK waits for the response to start (AI_ATTEMPT_TIMEOUT_MS); the router's signal bounds the rest. */
  timeoutMs: number;
}

type ChunkFinishReason = NonNullable<ChatCompletionChunk.Choice['finish_reason']>;

const FINISH_REASONS: Record<ChunkFinishReason, FinishReason> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
};

/** OpenAI's prompt tokens include the cached ones and its completion tokens include reasoning. */
export const usageOf = (usage: CompletionUsage): Usage => {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: usage.prompt_tokens - cached,
    cachedInputTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: usage.completion_tokens,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
};

/** Codes of a 400 that one model gives and another may not: a parameter it refuses, a model this key lacks. */
const ONE_MODEL_CODES = new Set(['unsupported_parameter', 'unsupported_value', 'model_not_found']);

const paramsOf = (request: ChatRequest): ChatCompletionCreateParamsStreaming => {
  // JSON mode is refused unless the messages mention JSON: the system prompt then asks for it.
  const system = systemPromptOf(request);
  return {
    model: request.model,
    messages: [...(system ? [{ role: 'system' as const, content: system }] : []), ...request.messages],
    max_completion_tokens: request.maxOutputTokens,
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.json && { response_format: { type: 'json_object' as const } }),
    stream: true,
    // Usage then arrives in one last chunk whose `choices` is empty.
    stream_options: { include_usage: true },
  };
};

/** Our signal ended the call: the router's deadline (a timeout) or the client going away. */
const abortError = (signal: AbortSignal, cause?: unknown) => {
  const timedOut = signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
  return timedOut
    ? new AiError('timeout', 'openai: the attempt timed out', 'openai', undefined, undefined, { cause })
    : new AiError('aborted', 'openai: the request was aborted', 'openai', undefined, undefined, { cause });
};

/** The SDK's error as the router needs it; `signal` tells our own abort from the SDK's. */
const toAiError = (error: unknown, signal: AbortSignal, sdk: typeof OpenAI): AiError => {
  if (error instanceof AiError) return error;
  if (signal.aborted) return abortError(signal, error);
  const message = `openai: ${error instanceof Error ? error.message : String(error)}`;
  const fail = (kind: AiErrorKind, status?: number, retryAfter?: number) =>
    new AiError(kind, message, 'openai', status, retryAfter, { cause: error });
  if (error instanceof sdk.APIConnectionTimeoutError) return fail('timeout');
  if (error instanceof sdk.APIConnectionError) return fail('network');
  if (error instanceof sdk.APIError) {
    // No status: the stream itself carried an error after a 200.
    if (error.status === undefined) return fail('server');
    if (error.code === 'context_length_exceeded') return fail('context_length', error.status);
    if (ONE_MODEL_CODES.has(error.code ?? '')) return fail('unsupported', error.status);
    return fail(
      kindOfStatus(error.status, error.message),
      error.status,
      retryAfterMs(error.headers?.get('retry-after')),
    );
  }
  // The body broke off mid-stream (undici's `terminated`) or could not be read.
  return fail('network');
};

/** OpenAI's chat models through the official SDK, which is imported on the first call. */
export const createOpenAiProvider = ({ apiKey, baseURL, timeoutMs }: OpenAiProviderOptions): AiProvider => {
  let loaded: Promise<{ sdk: typeof OpenAI; client: OpenAI }> | undefined;
  const load = () => {
    loaded ??= import('openai').then(({ default: sdk }) => ({
      sdk,
      // The router owns retries: one call is one request.
      client: new sdk({ apiKey, baseURL, maxRetries: 0, timeout: timeoutMs }),
    }));
    return loaded;
  };

  return {
    name: 'openai',
    async *stream(request, { signal }) {
      if (!apiKey) throw new AiError('auth', 'openai: OPENAI_API_KEY is not set', 'openai');
      const { sdk, client } = await load();
      let finish: FinishReason | undefined;
      let usage: Usage | undefined;
      try {
        const chunks = await client.chat.completions.create(paramsOf(request), { signal });
        for await (const chunk of chunks) {
          for (const choice of chunk.choices) {
            if (choice.delta.content) yield { type: 'text-delta', text: choice.delta.content };
            if (choice.finish_reason) finish = FINISH_REASONS[choice.finish_reason] ?? 'other';
          }
          if (chunk.usage) usage = usageOf(chunk.usage);
        }
      } catch (error) {
        throw toAiError(error, signal, sdk);
      }
      // The SDK ends a stream quietly when it is aborted.
      if (signal.aborted) throw abortError(signal);
      if (!finish) throw new AiError('network', 'openai: the stream ended before the answer did', 'openai');
      if (usage) yield { type: 'usage', usage };
      yield { type: 'finish', reason: finish };
    },
  };
};
