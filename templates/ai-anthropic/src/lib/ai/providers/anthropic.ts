import type Anthropic from '@anthropic-ai/sdk';
import type {
  Usage as AnthropicUsage,
  MessageCreateParamsStreaming,
  MessageDeltaUsage,
  StopReason,
} from '@anthropic-ai/sdk/resources/messages';
import { AiError, type AiErrorKind, kindOfStatus, retryAfterMs } from '../errors.js';
import { type AiProvider, type ChatRequest, type FinishReason, systemPromptOf, type Usage } from '../types.js';

export interface AnthropicProviderOptions {
  /** Unset outside production: every call then fails with an `auth` error saying so. */
  apiKey: string | undefined;
  /** https://api.anthropic.com (without /v1) unless a gateway or a test server stands in. */
  baseURL: string;
  /** How long the SDK waits for the response to start (AI_ATTEMPT_TIMEOUT_MS); the router's signal bounds the rest. */
  timeoutMs: number;
}

/** The counts a message's usage is built from: message_start's, updated by message_delta. */
export type AnthropicCounts = Pick<
  AnthropicUsage,
  'input_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens' | 'output_tokens' | 'output_tokens_details'
>;

const FINISH_REASONS: Record<StopReason, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  pause_turn: 'other',
};

/** Error types of an `error` event sent mid-stream, where there is no HTTP status to go by. */
const STREAM_ERROR_KINDS: Partial<Record<string, AiErrorKind>> = {
  overloaded_error: 'overloaded',
  rate_limit_error: 'rate_limit',
  timeout_error: 'timeout',
  api_error: 'server',
};

/** Anthropic's input tokens exclude cache reads and writes; thinking is part of its output tokens. */
export const usageOf = (counts: AnthropicCounts): Usage => ({
  inputTokens: counts.input_tokens,
  cachedInputTokens: counts.cache_read_input_tokens ?? 0,
  cacheWriteTokens: counts.cache_creation_input_tokens ?? 0,
  outputTokens: counts.output_tokens,
  reasoningTokens: counts.output_tokens_details?.thinking_tokens ?? 0,
});

/** message_delta carries running totals, so a count it has replaces message_start's; never add them up. */
const withDelta = (counts: AnthropicCounts, delta: MessageDeltaUsage): AnthropicCounts => ({
  input_tokens: delta.input_tokens ?? counts.input_tokens,
  cache_read_input_tokens: delta.cache_read_input_tokens ?? counts.cache_read_input_tokens,
  cache_creation_input_tokens: delta.cache_creation_input_tokens ?? counts.cache_creation_input_tokens,
  output_tokens: delta.output_tokens,
  output_tokens_details: delta.output_tokens_details ?? counts.output_tokens_details,
});

const paramsOf = (request: ChatRequest): MessageCreateParamsStreaming => {
  // Anthropic has no JSON switch for plain messages: in JSON mode the system prompt asks for it.
  const system = systemPromptOf(request);
  return {
    model: request.model,
    ...(system && { system }),
    messages: request.messages,
    max_tokens: request.maxOutputTokens,
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    stream: true,
  };
};

/** Our signal ended the call: the router's deadline (a timeout) or the client going away. */
const abortError = (signal: AbortSignal, cause?: unknown) => {
  const timedOut = signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
  return timedOut
    ? new AiError('timeout', 'anthropic: the attempt timed out', 'anthropic', undefined, undefined, { cause })
    : new AiError('aborted', 'anthropic: the request was aborted', 'anthropic', undefined, undefined, { cause });
};

/** The SDK's error as the router needs it; `signal` tells our own abort from the SDK's. */
const toAiError = (error: unknown, signal: AbortSignal, sdk: typeof Anthropic): AiError => {
  if (error instanceof AiError) return error;
  if (signal.aborted) return abortError(signal, error);
  const message = `anthropic: ${error instanceof Error ? error.message : String(error)}`;
  const fail = (kind: AiErrorKind, status?: number, retryAfter?: number) =>
    new AiError(kind, message, 'anthropic', status, retryAfter, { cause: error });
  if (error instanceof sdk.APIConnectionTimeoutError) return fail('timeout');
  if (error instanceof sdk.APIConnectionError) return fail('network');
  if (error instanceof sdk.APIError) {
    // No status: an `error` event arrived mid-stream, after the 200 (often `overloaded_error`).
    if (error.status === undefined) return fail(STREAM_ERROR_KINDS[error.type ?? ''] ?? 'server');
    const kind = kindOfStatus(error.status, error.apiMessage ?? error.message);
    return fail(kind, error.status, retryAfterMs(error.headers?.get('retry-after')));
  }
  // The body broke off mid-stream (undici's `terminated`) or could not be read.
  return fail('network');
};

/** Anthropic's Claude models through the official SDK, which is imported on the first call. */
export const createAnthropicProvider = ({ apiKey, baseURL, timeoutMs }: AnthropicProviderOptions): AiProvider => {
  let loaded: Promise<{ sdk: typeof Anthropic; client: Anthropic }> | undefined;
  const load = () => {
    loaded ??= import('@anthropic-ai/sdk').then(({ default: sdk }) => ({
      sdk,
      // The router owns retries: one call is one request.
      client: new sdk({ apiKey, baseURL, maxRetries: 0, timeout: timeoutMs }),
    }));
    return loaded;
  };

  return {
    name: 'anthropic',
    async *stream(request, { signal }) {
      if (!apiKey) throw new AiError('auth', 'anthropic: ANTHROPIC_API_KEY is not set', 'anthropic');
      const { sdk, client } = await load();
      let finish: FinishReason | undefined;
      let counts: AnthropicCounts | undefined;
      try {
        const events = await client.messages.create(paramsOf(request), { signal });
        for await (const event of events) {
          switch (event.type) {
            case 'message_start':
              counts = event.message.usage;
              break;
            case 'content_block_delta':
              // Thinking arrives as thinking_delta blocks: counted in usage, not part of the answer.
              if (event.delta.type === 'text_delta') yield { type: 'text-delta', text: event.delta.text };
              break;
            case 'message_delta':
              if (counts) counts = withDelta(counts, event.usage);
              if (event.delta.stop_reason) finish = FINISH_REASONS[event.delta.stop_reason] ?? 'other';
              break;
          }
        }
      } catch (error) {
        throw toAiError(error, signal, sdk);
      }
      // The SDK ends a stream quietly when it is aborted.
      if (signal.aborted) throw abortError(signal);
      if (!finish) throw new AiError('network', 'anthropic: the stream ended before the answer did', 'anthropic');
      if (counts) yield { type: 'usage', usage: usageOf(counts) };
      yield { type: 'finish', reason: finish };
    },
  };
};
