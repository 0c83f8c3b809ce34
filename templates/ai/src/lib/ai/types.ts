/** One message of a conversation. The system prompt travels apart: every provider places it its own way. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** The provider's model id, e.g. `gpt-5-mini`. */
  model: string;
  system?: string;
  messages: ChatMessage[];
  /** Upper bound on output tokens (reasoning included), already capped by the config. */
  maxOutputTokens: number;
  temperature?: number;
  /** Ask for a JSON object as the answer. */
  json?: boolean;
}

/**
 * Tokens of one request, counted the same way for every provider:
 * `inputTokens` excludes cache reads and writes, `outputTokens` includes reasoning.
 */
export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'other';

export type StreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'error'; error: unknown };

export interface StreamOptions {
  /** Aborts the upstream call: a client that disconnects stops the provider's work too. */
  signal: AbortSignal;
}

/** What every provider module implements; `chat()` is built on `stream()` (see chat.ts). */
export interface AiProvider {
  readonly name: ProviderName;
  stream(request: ChatRequest, options: StreamOptions): AsyncIterable<StreamEvent>;
}

export type ProviderName = 'openai' | 'anthropic' | 'gemini';

/** Asked of every model in JSON mode: OpenAI refuses JSON mode unless the prompt mentions JSON, Anthropic has no switch. */
export const JSON_INSTRUCTION = 'Answer with a single JSON object and nothing else: no prose, no code fences.';

/** The system prompt a provider sends: the request's, followed in JSON mode by the instruction to answer in JSON. */
export const systemPromptOf = (request: Pick<ChatRequest, 'system' | 'json'>): string | undefined =>
  [request.system, request.json ? JSON_INSTRUCTION : undefined].filter(Boolean).join('\n\n') || undefined;

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});
